// Backup and verify of the event log: filled in with issue 14's backup work.
#include <catch2/catch.hpp>
