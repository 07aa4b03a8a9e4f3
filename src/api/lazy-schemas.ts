// Fastify compiles every route's request validators and response serializers while the server
// starts: with Herald's routes that was about 0.9 s of a 2 s start-up, paid by every process
// and every restart. Here each one is compiled on its first use instead, and the rest in the
// background once Herald listens (a few per turn of the event loop), so a schema that cannot
// compile is still found at once; `compileAll` lets a test demand that every one compiles.
import {
  SerializerSelector,
  type RouteDefinition,
  type SerializerFactory,
} from "@fastify/fast-json-stringify-compiler";
import type { FastifyInstance, FastifySchemaValidationError } from "fastify";

type Validate = ((data: unknown) => boolean) & {
  errors?: FastifySchemaValidationError[] | null;
};
type Serialize = (data: unknown) => string;
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}

/** How many deferred compilations run per turn of the event loop in the background. */
const PER_TURN = 4;

export class LazySchemas {
  private readonly pending = new Set<() => void>();

  /** A validator compiler (for `setValidatorCompiler`) that defers `compile`. */
  validatorCompiler(compile: (route: RouteSchema) => Validate) {
    return (route: RouteSchema): Validate => {
      let compiled: Validate | null = null;
      const ensure = (): Validate => {
        if (compiled) return compiled;
        compiled = compile(route);
        this.pending.delete(ensure);
        return compiled;
      };
      this.pending.add(ensure);
      // Fastify reads `errors` off the function it was given, after a call that failed.
      const validate: Validate = (data) => {
        const fn = ensure();
        const ok = fn(data);
        validate.errors = fn.errors;
        return ok;
      };
      return validate;
    };
  }

  /** A serializer factory (for `schemaController.compilersFactory.buildSerializer`). */
  readonly buildSerializer: SerializerFactory = (externalSchemas, options) => {
    const build = SerializerSelector()(externalSchemas, options);
    return (route: RouteDefinition): Serialize => {
      let compiled: Serialize | null = null;
      const ensure = (): Serialize => {
        if (compiled) return compiled;
        compiled = build(route);
        this.pending.delete(ensure);
        return compiled;
      };
      this.pending.add(ensure);
      return (data) => ensure()(data);
    };
  };

  /** Compiles whatever has not been used yet; throws what a schema's compilation throws. */
  compileAll(): void {
    for (const ensure of [...this.pending]) ensure();
  }

  /** Once `app` listens, compiles the rest a few at a time; a failure goes to `onError`. */
  compileInBackground(app: FastifyInstance, onError: (error: unknown) => void): void {
    const turn = () => {
      const batch = [...this.pending].slice(0, PER_TURN);
      try {
        for (const ensure of batch) ensure();
      } catch (error) {
        onError(error);
        return;
      }
      if (this.pending.size > 0) setImmediate(turn);
    };
    app.addHook("onListen", async () => {
      setImmediate(turn);
    });
  }

  get uncompiled(): number {
    return this.pending.size;
  }
}
