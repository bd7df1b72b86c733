// Backing up and checking an event log file: filled in with issue 14's backup work.
#ifndef LAGESBILD_STORE_BACKUP_H_
#define LAGESBILD_STORE_BACKUP_H_

namespace lagesbild {}  // namespace lagesbild

#endif  // LAGESBILD_STORE_BACKUP_H_
