// Package library keeps every run Backdrop makes, in the window and on the
// command line: one SQLite database in the user's data folder, the images
// beside it (a kept copy and a thumbnail of each variant), so that a paid
// image survives cache cleaning, a crash or a new run.
//
// The queue reports each run's life as it happens (Added, Sending, Created,
// VariantSaved, Ended); every call is on disk when it returns, and is made
// before the side effect it announces, so a run killed at any point can be
// picked up again (Resume) without sending a paid create twice.
//
// Two processes (the window and a CLI run) may use one library at once:
// the database is in WAL mode with a busy timeout, and each Store holds a
// lock file for its session so that it never picks up another live
// process's runs.
package library
