// @vitest-environment happy-dom
import type { ApiError } from '@shared/contract';
import type { ServerConfigView, ServerInput } from '@shared/server-config';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerForm } from './ServerForm';
import { emptyForm, formFromView } from './server-form-model';

// The desktop shell's bridge, so `api` talks to this fake instead of opening a WebSocket.
const shell = vi.hoisted(() => {
  const call = vi.fn((_name: string, _args: unknown): Promise<unknown> =>
    Promise.resolve({ ok: false, error: { code: 'internal', message: 'not answered in this test' } }),
  );
  window.patchbay = { kind: 'electron', platform: 'linux', call: call as never, onEvent: () => () => {} };
  return { call };
});

afterEach(cleanup);

type Submit = (input: ServerInput, removeToken: boolean) => Promise<ApiError | undefined>;

function renderNew(onSubmit: Submit = vi.fn<Submit>(() => Promise.resolve(undefined))) {
  const user = userEvent.setup();
  render(<ServerForm initial={emptyForm()} isNew submitLabel="Add server" onSubmit={onSubmit} />);
  return { user, onSubmit };
}

/** The line under a field that says what is wrong with it (what a screen reader reads with it). */
function errorOf(input: HTMLElement): string | undefined {
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.find((id) => id.endsWith('-error'));
  return error === undefined ? undefined : (document.getElementById(error)?.textContent ?? undefined);
}

const stored: ServerConfigView = {
  id: 'srv-1',
  name: 'notes',
  command: 'npx',
  args: ['-y', 'notes-server'],
  env: [
    { key: 'API_TOKEN', secret: true },
    { key: 'LOG_LEVEL', value: 'debug', secret: false },
  ],
  port: 41001,
  host: '127.0.0.1',
  mode: 'isolated',
  hasToken: true,
  allowedOrigins: [],
  autostart: false,
  createdAt: 1_767_225_600_000,
  updatedAt: 1_767_225_600_000,
  restart: { enabled: true, initialDelayMs: 1000, maxDelayMs: 30_000 },
  limits: { maxProcesses: 16, maxSessions: 100, idleTimeoutMs: 600_000, maxBodyBytes: 4 * 1024 * 1024 },
};

describe('ServerForm', () => {
  it('shows what is wrong under each field after a save attempt, and does not submit', async () => {
    const { user, onSubmit } = renderNew();
    const command = screen.getByRole('textbox', { name: 'Command' });
    expect(errorOf(command)).toBeUndefined(); // nothing shouts before the user did anything

    await user.click(screen.getByRole('button', { name: 'Add server' }));

    expect(errorOf(command)).toBeTruthy();
    expect(errorOf(screen.getByRole('textbox', { name: 'Name' }))).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    // The first wrong field takes the focus, so the user lands where to fix it.
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' })),
    );

    await user.type(command, 'node "server.js');
    expect(errorOf(command)).toMatch(/quote/i);
    await user.type(command, '"');
    expect(errorOf(command)).toBeUndefined();
  });

  it('checks a field as soon as it was touched', async () => {
    const { user } = renderNew();
    const port = screen.getByRole('textbox', { name: 'Port' });
    await user.type(port, 'abc');
    expect(errorOf(port)).toBe('Enter a number, or leave it blank');
    await user.clear(port);
    expect(errorOf(port)).toBeUndefined();
  });

  it('submits the input the engine takes: command split like a shell, named after it, a key required', async () => {
    const { user, onSubmit } = renderNew();
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'npx -y "@scope/files server" ~/notes');
    // A new server is named after its command until the user names it.
    expect(screen.getByRole('textbox', { name: 'Name' })).not.toHaveProperty('value', '');
    const list = screen.getByRole('list', { name: 'Runs as' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['npx', '-y', '@scope/files server', '~/notes']);
    await user.clear(screen.getByRole('textbox', { name: 'Name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'files');
    await user.type(screen.getByRole('textbox', { name: 'Port' }), '41234');
    await user.click(screen.getByRole('radio', { name: 'Shared' }));

    await user.click(screen.getByRole('button', { name: 'Add server' }));

    expect(onSubmit).toHaveBeenCalledTimes(1);
    const [input, removeToken] = vi.mocked(onSubmit).mock.calls[0]!;
    expect(removeToken).toBe(false);
    expect(input).toMatchObject({
      name: 'files',
      command: 'npx',
      args: ['-y', '@scope/files server', '~/notes'],
      env: [],
      port: 41234,
      mode: 'shared',
      requireKey: true,
    });
    expect(input.token).toBeUndefined(); // blank key: the engine makes a random one
  });

  it('masks a secret value and sends it marked secret', async () => {
    const { user, onSubmit } = renderNew();
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'node server.js');
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    await user.type(screen.getByRole('textbox', { name: 'Name of variable 1' }), 'API_TOKEN');
    const value = screen.getByLabelText('Value of API_TOKEN');
    expect(value).toHaveProperty('type', 'text');
    await user.type(value, 's3cret');

    await user.click(screen.getByRole('checkbox', { name: 'Keep API_TOKEN secret' }));
    expect(screen.getByLabelText('Value of API_TOKEN')).toHaveProperty('type', 'password');

    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(vi.mocked(onSubmit).mock.calls[0]![0].env).toEqual([
      { key: 'API_TOKEN', value: 's3cret', secret: true },
    ]);
  });

  it('keeps a stored secret masked and empty, and sends no value for it unless retyped', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<Submit>(() => Promise.resolve(undefined));
    render(
      <ServerForm initial={formFromView(stored)} isNew={false} submitLabel="Save" onSubmit={onSubmit} />,
    );
    const secret = screen.getByLabelText('Value of API_TOKEN');
    expect(secret).toHaveProperty('type', 'password');
    expect(secret).toHaveProperty('value', '');
    expect(secret.getAttribute('placeholder')).toMatch(/kept/);
    // Nothing changed yet: nothing to save.
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);

    await user.clear(screen.getByRole('textbox', { name: 'Value of LOG_LEVEL' }));
    await user.type(screen.getByRole('textbox', { name: 'Value of LOG_LEVEL' }), 'info');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const [input, removeToken] = onSubmit.mock.calls[0]!;
    expect(input.env).toEqual([
      { key: 'API_TOKEN', secret: true },
      { key: 'LOG_LEVEL', value: 'info', secret: false },
    ]);
    expect(removeToken).toBe(false);
    expect(input.token).toBeUndefined(); // the stored key is kept, never sent back
  });

  it('requires a key by default, and warns when the user unticks it', async () => {
    const { user, onSubmit } = renderNew();
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'node server.js');
    await user.click(screen.getByText('Advanced'));

    const requireKey = screen.getByRole('checkbox', { name: 'Require a key' });
    expect(requireKey).toHaveProperty('checked', true);
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.getByLabelText('Key')).toHaveProperty('type', 'password');

    await user.click(requireKey);
    expect(screen.getByRole('note').textContent).toMatch(/any program on this computer can connect/);
    expect(screen.queryByLabelText('Key')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(vi.mocked(onSubmit).mock.calls[0]![0].requireKey).toBe(false);
  });

  it("fills the working folder from the shell's folder picker", async () => {
    shell.call.mockResolvedValueOnce({ ok: true, value: '/home/ada/notes' });
    const { user } = renderNew();
    await user.click(screen.getByRole('button', { name: 'Choose…' }));
    await vi.waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Working folder' })).toHaveProperty(
        'value',
        '/home/ada/notes',
      ),
    );
    expect(shell.call).toHaveBeenCalledWith('dialog.pickDirectory', {});
  });

  it('moves the focus to the field asked for, once per request', async () => {
    const props = { initial: emptyForm(), isNew: true, submitLabel: 'Add server', onSubmit: vi.fn<Submit>() };
    const { rerender } = render(<ServerForm {...props} focusRequest={{ field: 'port', n: 1 }} />);
    const port = screen.getByRole('textbox', { name: 'Port' });
    await vi.waitFor(() => expect(document.activeElement).toBe(port));

    screen.getByRole('textbox', { name: 'Name' }).focus();
    rerender(<ServerForm {...props} focusRequest={{ field: 'port', n: 2 }} />);
    await vi.waitFor(() => expect(document.activeElement).toBe(port));
  });

  it("shows the engine's field errors inline, and its other errors above the buttons", async () => {
    const onSubmit = vi
      .fn<Submit>()
      .mockResolvedValueOnce({
        code: 'invalid_argument',
        message: 'Invalid server',
        fields: [{ field: 'port', message: "Patchbay's own window uses this port" }],
      })
      .mockResolvedValueOnce({ code: 'internal', message: 'The disk is full' });
    const { user } = renderNew(onSubmit);
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'node server.js');
    const port = screen.getByRole('textbox', { name: 'Port' });
    await user.type(port, '41000');

    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(errorOf(port)).toBe("Patchbay's own window uses this port");
    expect(screen.queryByRole('alert')).toBeNull();

    // Editing the field clears the engine's message for it.
    await user.type(port, '{Backspace}2');
    expect(port).toHaveProperty('value', '41002');
    expect(errorOf(port)).toBeUndefined();

    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(screen.getByRole('alert').textContent).toBe('The disk is full');
    expect(onSubmit).toHaveBeenCalledTimes(2);
  });
});
