import { PageHeader } from "../components/PageHeader";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { Link } from "../router";

export function NotFoundPage() {
  useDocumentTitle("Not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        The console has no page at this address. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}
