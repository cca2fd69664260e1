// The frame shape is part of the UI contract, so it is defined in src/shared.
export type { Frame, FrameKind, FrameTransport, Leg } from '@shared/frames';
