// `kpl callers` — placeholder until its issue lands; says so instead of pretending.
import { UsageError } from './args';

export async function run(_argv: string[]): Promise<void> {
  throw new UsageError('not built yet');
}
