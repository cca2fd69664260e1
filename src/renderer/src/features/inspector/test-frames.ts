import type { Frame, Leg } from '@shared/frames';

/** A frame for unit tests and the benchmark: a JSON-RPC message on one leg, defaults filled in. */
export function frame(seq: number, extra: Partial<Frame> = {}): Frame {
  const leg: Leg = extra.leg ?? 'client→proxy';
  return {
    seq,
    ts: 1_700_000_000_000 + seq,
    serverId: 'srv',
    sessionId: 'a1f00000-0000-4000-8000-000000000001',
    leg,
    transport: leg === 'client→proxy' ? 'http' : leg === 'proxy→client' ? 'sse' : 'stdio',
    kind: 'notification',
    method: 'notifications/message',
    bytes: 60,
    raw: `{"jsonrpc":"2.0","method":"notifications/message","params":{"n":${seq}}}`,
    ...extra,
  };
}

/** The four frames of one tools/call as an isolated session carries them. */
export function toolCall(
  firstSeq: number,
  id: number | string,
  sessionId = 'a1f00000-0000-4000-8000-000000000001',
): Frame[] {
  const req = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"echo"}}`;
  const res = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[]}}`;
  return [
    frame(firstSeq, {
      sessionId,
      leg: 'client→proxy',
      kind: 'request',
      method: 'tools/call',
      rpcId: id,
      raw: req,
    }),
    frame(firstSeq + 1, {
      sessionId,
      leg: 'proxy→server',
      kind: 'request',
      method: 'tools/call',
      rpcId: id,
      raw: req,
    }),
    frame(firstSeq + 2, {
      sessionId,
      leg: 'server→proxy',
      kind: 'response',
      method: undefined,
      rpcId: id,
      raw: res,
      latencyMs: 5,
    }),
    frame(firstSeq + 3, {
      sessionId,
      leg: 'proxy→client',
      kind: 'response',
      method: undefined,
      rpcId: id,
      raw: `id: ${firstSeq}\nevent: message\ndata: ${res}\n\n`,
      latencyMs: 7,
    }),
  ];
}
