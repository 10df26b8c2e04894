/** What a running server's admin routes (`POST /admin/import`, `/admin/harvest`) answer the CLI: shared by both ends, so neither imports the other. */

export interface ImportOutcome {
  readonly datasetId: string;
  readonly skipped: boolean;
  readonly rowsRead: number;
  readonly triplesWritten: number;
  readonly problems: Readonly<Record<string, number>>;
}

/** One line of an NDJSON answer of the admin routes: progress lines, then exactly one `result` or `error`. */
export type AdminStreamLine<Result> =
  | { readonly say: string }
  | { readonly result: Result }
  | { readonly error: { readonly code: string; readonly message: string } };
