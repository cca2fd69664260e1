import { contextBridge } from 'electron';
import { SHELL_GLOBAL, type ShellInfo } from '@shared/shell-info';

const info: ShellInfo = { kind: 'electron', platform: process.platform };

contextBridge.exposeInMainWorld(SHELL_GLOBAL, info);
