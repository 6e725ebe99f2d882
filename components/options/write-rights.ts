/** What the test found about the rights Sidecar's writes need (#16), in one sentence each. */
export function rightsSentence(rights: { what: string; usedFor: string; allowed: boolean | null }[] | undefined): string {
  return (rights ?? [])
    .map((right) =>
      right.allowed === true
        ? ` May ${right.usedFor}.`
        : right.allowed === false
          ? ` May not ${right.usedFor}: give the API user ${right.what}.`
          : ` Whether it may ${right.usedFor} cannot be known before the first one (it needs ${right.what}).`,
    )
    .join('');
}
