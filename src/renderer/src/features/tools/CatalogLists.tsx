import type { ToolCatalog } from '@shared/tools';

/** Resources, resource templates and prompts the server offers, and any list it failed to give. */
export function CatalogLists({ catalog }: { catalog: ToolCatalog }) {
  const sections = [
    {
      title: 'Resources',
      items: catalog.resources.map((r) => ({ key: r.uri, name: r.title ?? r.name ?? r.uri, detail: r.uri })),
    },
    {
      title: 'Resource templates',
      items: catalog.resourceTemplates.map((r) => ({
        key: r.uriTemplate,
        name: r.title ?? r.name ?? r.uriTemplate,
        detail: r.uriTemplate,
      })),
    },
    {
      title: 'Prompts',
      items: catalog.prompts.map((p) => ({
        key: p.name,
        name: p.title ?? p.name,
        detail: p.description ?? '',
      })),
    },
  ];
  return (
    <>
      {sections.map((s) => (
        <details key={s.title} className="catalog-section">
          <summary>
            {s.title} ({s.items.length})
          </summary>
          <ul aria-label={s.title}>
            {s.items.map((i) => (
              <li key={i.key} title={i.detail}>
                {i.name}
                {i.detail && i.detail !== i.name && <span className="tools-hint"> {i.detail}</span>}
              </li>
            ))}
          </ul>
        </details>
      ))}
      {catalog.errors.map((e) => (
        <p key={e.list} className="error" role="alert">
          {e.list} failed: {e.message}
        </p>
      ))}
    </>
  );
}
