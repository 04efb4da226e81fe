// Package faultmatrix holds the fault matrix: a table-driven test that
// runs every fault class the service can throw (internal/faultserver)
// through each of the app's real paths —
//
//   - window: one item through the queue on the app's backend (api.Client
//     made by app.NewClient) recording into a library, as the window runs
//     it; the library's record must agree with the item;
//   - queue: the same without a library (skip-done in the output folder),
//     as `backdrop generate --no-library` runs it;
//   - cli: `backdrop generate` as cli.Generate runs it, with --json,
//     checking its exit code, the files in its output folder and
//     everything it prints —
//
// and checks the client's promises in each case: it ends within its
// bound, every image the server delivered reaches the caller, no partial
// file is left, no task is created twice, no output or error holds the
// token or any 8+ character part of it, the token never follows a
// redirect elsewhere, and the outcome is the expected one. It prints how
// many faults it injected and what held (go test -v ./internal/faultmatrix;
// `make test` shows the summary). The package has no code besides this
// file and its tests.
package faultmatrix
