import type { BtError } from '../core/bt-error.ts';
import type { TransferStats } from '../engines/engine.ts';

export interface MenuRequest {
  title: string;
  items: { name: string; label: string }[];
  selected: number;
  /** boots `name` when it reaches 0, unless a key stops it */
  countdown?: { seconds: number; name: string };
  /** why the last attempt failed, shown above the menu */
  notice?: BtError;
}

export type MenuChoice = { kind: 'boot'; name: string } | { kind: 'shell' };

export type Stage = 'download' | 'seed' | 'verify' | 'load' | 'vm';

export interface ProgressView {
  stage: Stage;
  dispname: string;
  stats: TransferStats;
  /** seconds left of seed_time, while seeding before kexec */
  seedLeft?: number;
}

/** The terminal, whichever it is: blessed on a console, plain lines on a serial port or with no TTY. */
export interface Ui {
  menu(req: MenuRequest): Promise<MenuChoice>;
  progress(p: ProgressView): void;
  info(line: string): void;
  error(e: BtError): void;
  close(): void;
}
