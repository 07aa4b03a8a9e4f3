import { useCallback, useMemo, useState } from "react";
import { createApi } from "./api";
import { ApiContext } from "./api-context";
import { Layout } from "./components/Layout";
import { ActionsPage } from "./pages/ActionsPage";
import { ChainsPage } from "./pages/ChainsPage";
import { EndpointPage } from "./pages/EndpointPage";
import { EndpointsPage } from "./pages/EndpointsPage";
import { NewEndpointPage } from "./pages/NewEndpointPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OriginalPage } from "./pages/OriginalPage";
import { OverviewPage } from "./pages/OverviewPage";
import { SignInPage } from "./pages/SignInPage";
import { matchPath, navigate, usePath } from "./router";
import { clearApiKey, loadApiKey, saveApiKey } from "./session";

function Screen({ path }: { path: string }) {
  if (path === "/") return <OverviewPage />;
  if (path === "/endpoints") return <EndpointsPage />;
  if (path === "/endpoints/new") return <NewEndpointPage />;
  const endpoint = matchPath("/endpoints/:id", path);
  if (endpoint) return <EndpointPage key={endpoint.id} endpointId={endpoint.id!} />;
  // One ActionsPage for every id, so the lookup form keeps focus between lookups.
  const action = matchPath("/actions/:id", path);
  if (path === "/actions" || action) return <ActionsPage actionId={action?.id} />;
  if (path === "/original") return <OriginalPage />;
  if (path === "/chains") return <ChainsPage />;
  return <NotFoundPage />;
}

/** Signed out: the sign-in screen (at whatever address was asked for). Signed in: the app. */
export function App() {
  const [apiKey, setApiKey] = useState<string | null>(loadApiKey);
  const [notice, setNotice] = useState<string | null>(null);
  const path = usePath();

  const signOut = useCallback((why: string | null) => {
    clearApiKey();
    setApiKey(null);
    setNotice(why);
  }, []);

  const api = useMemo(
    () =>
      apiKey
        ? createApi(apiKey, {
            onUnauthorized: () =>
              signOut(
                "Herald no longer accepts that API key (it may have been revoked). Sign in again.",
              ),
          })
        : null,
    [apiKey, signOut],
  );

  if (!api) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(key) => {
          saveApiKey(key);
          setNotice(null);
          setApiKey(key);
        }}
      />
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <Layout
        onSignOut={() => {
          signOut("You are signed out.");
          navigate("/");
        }}
      >
        <Screen path={path} />
      </Layout>
    </ApiContext.Provider>
  );
}
