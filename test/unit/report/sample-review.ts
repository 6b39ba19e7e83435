// A hand-built Review with impacts (what the impact analysis will fill in), shaped like the
// defining example, for the report tests: the renderers must not depend on who fills it.
import type { Review } from '../../../server/model';

export function sampleReview(): Review {
  const fn = 'invalidate_inode_pages2_range';
  return {
    patches: [{ subject: 'VFS: fix dio write returning EIO when try_to_release_page fails', files: ['mm/truncate.c'], author: 'A. Writer <a@example.org>' }],
    changes: [
      { file: 'mm/truncate.c', function: fn, kind: 'doc', old: ['-EIO'], new: ['-EBUSY'], patchLine: 56, line: 383, patch: 0, functionFrom: 'tree' },
      { file: 'mm/truncate.c', function: fn, kind: 'assign', old: ['-EIO'], new: ['-EBUSY'], patchLine: 65, line: 443, patch: 0, functionFrom: 'tree' },
    ],
    impacts: [{
      function: fn, file: 'mm/truncate.c', returnsBefore: ['0', '-EIO'], returnsAfter: ['0', '-EBUSY'],
      callers: [
        { function: 'generic_file_direct_write', file: 'mm/filemap.c', line: 120, use: 'propagated', verdict: 'value-change', depth: 1, via: null, userVisible: null, reason: 'returns it through written', path: ['generic_file_direct_write', fn] },
        { function: 'vfs_write', file: 'fs/read_write.c', line: 40, use: 'propagated', verdict: 'value-change', depth: 2, via: '.write', userVisible: 'write(2): EIO -> EBUSY', reason: 'returns it', path: ['vfs_write', 'generic_file_direct_write', fn] },
        { function: 'invalidate_inode_pages2', file: 'mm/truncate.c', line: 470, use: 'propagated', verdict: 'value-change', depth: 1, via: null, userVisible: null, reason: '', path: ['invalidate_inode_pages2', fn] },
        { function: 'nfs_revalidate_mapping', file: 'fs/nfs/inode.c', line: 77, use: 'sign-checked', verdict: 'no-change', depth: 2, via: null, userVisible: null, reason: 'only tests ret < 0', path: ['nfs_revalidate_mapping', 'invalidate_inode_pages2', fn] },
        { function: 'v9fs_dir_release', file: 'fs/9p/vfs_dir.c', line: 12, use: 'unknown', verdict: 'unknown', depth: 2, via: null, userVisible: null, reason: 'called through a macro', path: ['v9fs_dir_release', 'invalidate_inode_pages2', fn] },
        { function: 'dio_fallback', file: 'mm/filemap.c', line: 150, use: 'compared', verdict: 'behaviour-change', depth: 1, via: null, userVisible: null, reason: 'if (ret == -EIO) flips', path: ['dio_fallback', fn] },
      ],
    }],
    races: [],
    warnings: [{ patchLine: 52, message: 'an example warning' }, { message: 'a warning without a line' }],
  };
}
