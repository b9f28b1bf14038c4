/** The database where Cutover keeps a job's checkpoints on the target (copies and imports share it). */
export const META_DB = '__cutover';
