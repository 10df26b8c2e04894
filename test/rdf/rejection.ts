/** What a promise rejects with, for tests (uvu's assert has no `rejects`). */
export async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}
