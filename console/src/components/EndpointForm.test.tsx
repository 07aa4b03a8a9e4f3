import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, fakeApi, type FakeAnswer } from "../test/fake-api";
import { CATALOG, endpoint } from "../test/fixtures";
import { renderSignedIn } from "../test/render";
import { EndpointForm } from "./EndpointForm";

const created = { ...endpoint(), secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Create endpoint" }));

function setup(answer: FakeAnswer = { status: 201, body: created }) {
  const api = fakeApi({
    "POST /webhooks/endpoints": answer,
    "GET /webhooks/event-types": { body: { data: CATALOG } },
  });
  const onCreated = vi.fn();
  renderSignedIn(<EndpointForm onCreated={onCreated} />);
  return { api, onCreated };
}

describe("endpoint form", () => {
  it("creates an HTTPS endpoint for all event types with {url}", async () => {
    const { api, onCreated } = setup();
    expect(screen.getByRole("radio", { name: "HTTPS" })).toHaveProperty("checked", true);
    type("Endpoint URL", " https://hooks.example.com/herald ");
    type("Description", "Production mints");
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(api.find("POST", "/webhooks/endpoints")[0]!.body).toEqual({
      url: "https://hooks.example.com/herald",
      description: "Production mints",
      enabled: true,
    });
  });

  it("sends an SQS destination with only the fields given", async () => {
    const { api, onCreated } = setup();
    fireEvent.click(screen.getByRole("radio", { name: "Amazon SQS" }));
    expect(screen.queryByLabelText("Endpoint URL")).toBeNull();
    type("Queue URL", "https://sqs.eu-west-3.amazonaws.com/123456789012/mints.fifo");
    type("Region", "eu-west-3");
    type("Access key ID", "AKIAIOSFODNN7EXAMPLE");
    type("Secret access key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    fireEvent.change(screen.getByLabelText("Message group", { exact: false }), {
      target: { value: "collection" },
    });
    expect(screen.getByLabelText("Secret access key").getAttribute("type")).toBe("password");
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.find("POST", "/webhooks/endpoints")[0]!.body).toEqual({
      destination: {
        type: "sqs",
        queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/mints.fifo",
        region: "eu-west-3",
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        messageGroup: "collection",
      },
      enabled: true,
    });
  });

  it("sends a RabbitMQ destination, the empty exchange included", async () => {
    const { api, onCreated } = setup();
    fireEvent.click(screen.getByRole("radio", { name: "RabbitMQ" }));
    type("Broker URL", "amqps://herald:secret@mq.example.com/prod");
    type("Routing key", "mints");
    fireEvent.click(screen.getByLabelText("Active from the start"));
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.find("POST", "/webhooks/endpoints")[0]!.body).toEqual({
      destination: {
        type: "amqp",
        url: "amqps://herald:secret@mq.example.com/prod",
        exchange: "",
        routingKey: "mints",
      },
      enabled: false,
    });
  });

  it("marks missing required fields without calling Herald", async () => {
    const { api } = setup();
    fireEvent.click(screen.getByRole("radio", { name: "Amazon SQS" }));
    type("Queue URL", "https://sqs.us-east-1.amazonaws.com/123456789012/q");
    submit();
    expect(await screen.findByText("Enter the queue's AWS region.")).toBeTruthy();
    expect(screen.getByLabelText("Region").getAttribute("aria-invalid")).toBe("true");
    expect(api.find("POST", "/webhooks/endpoints")).toHaveLength(0);
  });

  it("shows Herald's 400 message under the field it names", async () => {
    const message =
      "destination.queueUrl is a queue in us-east-1 but destination.region is eu-west-3";
    setup(apiError(400, message));
    fireEvent.click(screen.getByRole("radio", { name: "Amazon SQS" }));
    type("Queue URL", "https://sqs.us-east-1.amazonaws.com/123456789012/q");
    type("Region", "eu-west-3");
    type("Access key ID", "AKIAIOSFODNN7EXAMPLE");
    type("Secret access key", "secret");
    submit();
    const error = await screen.findByText(message);
    const queueUrl = screen.getByLabelText("Queue URL");
    expect(queueUrl.getAttribute("aria-invalid")).toBe("true");
    expect(queueUrl.getAttribute("aria-describedby")).toContain(error.id);
    expect(screen.getByText(/The endpoint was not created/).textContent).toContain(
      "under the field",
    );
  });

  it("shows a 400 message that names no field beside the create button", async () => {
    setup(apiError(400, "hooks.example.com resolves to 10.0.0.8: a private address"));
    type("Endpoint URL", "https://hooks.example.com/herald");
    submit();
    const error = await screen.findByText(/resolves to 10\.0\.0\.8/);
    expect(error.textContent).toBe(
      "The endpoint was not created: hooks.example.com resolves to 10.0.0.8: a private address",
    );
    expect(error.previousElementSibling?.textContent).toBe("Create endpoint");
  });

  it("sends only the event types chosen from the catalog", async () => {
    const { api, onCreated } = setup();
    type("Endpoint URL", "https://hooks.example.com/herald");
    fireEvent.click(screen.getByRole("radio", { name: "Choose event types" }));
    const catalog = await screen.findByTestId("event-type-catalog");
    // Grouped by family, each with its description and example payloads (once loaded).
    const crossmint = await within(catalog).findByRole("group", { name: "Actions (Crossmint)" });
    const minted = within(crossmint).getByRole("checkbox", { name: "nfts.create.succeeded" });
    expect(minted.getAttribute("aria-describedby")).toBeTruthy();
    expect(within(crossmint).getByText("An NFT was minted.")).toBeTruthy();
    expect(within(crossmint).getByText("Solana")).toBeTruthy();
    expect(within(catalog).getByRole("group", { name: "Operational" })).toBeTruthy();

    // None chosen is refused before Herald is asked.
    submit();
    expect(await screen.findByText(/Choose at least one event type/)).toBeTruthy();
    expect(api.find("POST", "/webhooks/endpoints")).toHaveLength(0);

    fireEvent.click(minted);
    fireEvent.click(within(catalog).getByRole("checkbox", { name: "asset.minted" }));
    expect(screen.getByText("2 chosen. The endpoint receives only these.")).toBeTruthy();
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.find("POST", "/webhooks/endpoints")[0]!.body).toMatchObject({
      eventTypes: ["nfts.create.succeeded", "asset.minted"],
    });
  });

  it("selects a whole family, and goes back to all event types", async () => {
    const { api, onCreated } = setup();
    type("Endpoint URL", "https://hooks.example.com/herald");
    fireEvent.click(screen.getByRole("radio", { name: "Choose event types" }));
    fireEvent.click(
      await screen.findByRole("checkbox", { name: "Select all Actions (Crossmint)" }),
    );
    expect(screen.getByRole("checkbox", { name: "nfts.create.failed" })).toHaveProperty(
      "checked",
      true,
    );
    fireEvent.click(screen.getByRole("radio", { name: "All event types" }));
    expect(screen.queryByTestId("event-type-catalog")).toBeNull();
    submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.find("POST", "/webhooks/endpoints")[0]!.body).not.toHaveProperty("eventTypes");
  });
});
