import type { ArgsOf, CommandName, ResultOf } from '@shared/contract';
import type { ApiConnection } from '../api-hub';

/** A handler for every command of the contract; each domain file gives its share. */
export type Handlers = {
  [C in CommandName]: (args: ArgsOf<C>, conn: ApiConnection) => Promise<ResultOf<C>> | ResultOf<C>;
};

/** One domain's share of the handlers (checked for completeness where they are joined). */
export type SomeHandlers = Partial<Handlers>;
