import type { PastedServer } from '@shared/imported-server';
import { useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toast';
import { closeDialog, dialogsStore, openImport } from './dialogs-store';
import { PastePanel, Warnings } from './PastePanel';
import { ServerForm } from './ServerForm';
import { emptyForm, formFromPasted } from './server-form-model';
import { createServer } from './servers-store';

const NAME_FOCUS = { field: 'name', n: 1 };

/** "Add server": the server form, filled by hand or from a pasted client config. */
export function AddServerDialog() {
  const open = useStore(dialogsStore, (s) => s.open);
  return (
    <Dialog title="Add server" open={open.kind === 'add'} onClose={() => closeDialog('add')} wide>
      <AddServerBody pasteFirst={open.kind === 'add' && open.paste} />
    </Dialog>
  );
}

function AddServerBody({ pasteFirst }: { pasteFirst: boolean }) {
  const [showPaste, setShowPaste] = useState(pasteFirst);
  // Each fill from a paste starts the form afresh (a new key), so nothing typed before lingers.
  const [fill, setFill] = useState<{ n: number; from?: PastedServer }>({ n: 0 });
  const use = (s: PastedServer) => setFill((f) => ({ n: f.n + 1, from: s }));
  return (
    <div className="add-server">
      <div className="dialog-links">
        <button type="button" aria-expanded={showPaste} onClick={() => setShowPaste((v) => !v)}>
          Paste a client config
        </button>
        <button type="button" onClick={openImport}>
          Import from installed clients
        </button>
      </div>
      {showPaste && <PastePanel onUse={use} onAddedAll={() => closeDialog('add')} />}
      {fill.from && (
        <div className="filled-note" role="status">
          Filled in from the pasted <strong>{fill.from.name}</strong>. Check it, then add it.
          <Warnings items={fill.from.warnings} />
        </div>
      )}
      <ServerForm
        key={fill.n}
        initial={fill.from ? formFromPasted(fill.from) : emptyForm()}
        isNew
        focusRequest={showPaste && !fill.from ? undefined : NAME_FOCUS}
        submitLabel="Add server"
        onSubmit={async (input) => {
          const r = await createServer(input);
          if (!r.ok) return r.error;
          closeDialog('add');
          toast(`Added ${r.value.name}`);
          return undefined;
        }}
      />
    </div>
  );
}
