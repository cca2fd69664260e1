// What an import scan finds is shown in the UI, so its shape lives in src/shared.
export type * from '@shared/imported-server';
