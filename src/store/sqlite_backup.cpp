#include "lagesbild/store/backup.h"
