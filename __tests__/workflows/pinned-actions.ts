/**
 * Supply chain: every third-party action a workflow uses is pinned to a full
 * commit SHA, with its version in a comment (`uses: owner/repo@<40 hex> # vX.Y.Z`);
 * a tag can be moved to other code, a commit cannot. Shared by the tests of this
 * repository's workflows and of the generated ones.
 *
 * The SHAs were taken from other public repositories' workflows pinning the same
 * version (no network here to resolve tags): checkout 1af3b93 v6.0.0, setup-node
 * 2028fbc v6.0.0, upload-artifact b7c566a v6.0.0 and 043fb46 v7.0.1,
 * download-artifact 37930b1 v7.0.0, github-script ed59741 v8.0.0, setup-terraform
 * 5e8dbf3 v4.0.0, configure-aws-credentials 8df5847 v6.0.0. Verify with
 * `git ls-remote https://github.com/<owner>/<repo> refs/tags/<version>` when bumping.
 */

/**
 * Actions not pinned yet, because no SHA for their version could be found offline:
 * each entry must still occur (a stale exemption fails), and nothing else may be unpinned.
 */
export const NOT_YET_PINNED: readonly string[] = ['actions/cache@v5', 'actions/download-artifact@v8'];

/** The `uses:` lines of a workflow's text that are neither local nor pinned to a SHA with a version comment. */
export function unpinned(text: string): string[] {
  return [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)]
    .filter(([, ref]) => !ref.startsWith('./'))
    .filter(([, ref, rest]) => !(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) && /^\s+#\s*v\d+(\.\d+)*\s*$/.test(rest)))
    .map(([, ref]) => ref);
}
