import type { ConnectClientId, SnippetItem } from '@shared/connect';
import { shellCapabilities } from '../../shell';
import { copySnippetItem } from './copy-snippet';

/** One thing to run, paste, open or type, with its Copy button. */
export function SnippetItemView({
  serverId,
  client,
  index,
  item,
}: {
  serverId: string;
  client: ConnectClientId;
  index: number;
  item: SnippetItem;
}) {
  const copy = (
    <button
      className="connect-snippet-copy"
      aria-label={`Copy ${item.label}`}
      onClick={() => void copySnippetItem(serverId, client, index, item)}
    >
      Copy
    </button>
  );
  if (item.kind === 'link') {
    // Electron denies in-page navigation and opens new windows in the system browser;
    // a browser hands a custom scheme (cursor:, vscode:) to the OS without leaving the page.
    return (
      <div className="connect-snippet connect-snippet-link">
        <a
          className="connect-deeplink"
          href={item.url}
          {...(shellCapabilities().openLinkExternally ? { target: '_blank', rel: 'noreferrer' } : {})}
        >
          {item.label}
        </a>
      </div>
    );
  }
  if (item.kind === 'field') {
    return (
      <div className="connect-snippet connect-snippet-field">
        <span className="connect-snippet-label">{item.label}</span>
        <code className="connect-snippet-value">{item.text}</code>
        {copy}
      </div>
    );
  }
  return (
    <div className="connect-snippet">
      <div className="connect-snippet-head">
        <span className="connect-snippet-label">{item.label}</span>
        {item.kind !== 'command' && <code className="muted">{item.where}</code>}
        <span className="spacer" />
        {copy}
      </div>
      <pre className="connect-snippet-text">{item.text}</pre>
    </div>
  );
}
