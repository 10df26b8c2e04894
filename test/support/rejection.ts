/** What a promise rejects with, for tests (uvu's assert has no `rejects`). */
export async function rejection(work: Promise<unknown> | (() => Promise<unknown>)): Promise<Error> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but it resolved');
}
