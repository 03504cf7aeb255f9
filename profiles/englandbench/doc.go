// Package englandbench measures placeteam at the size of England on a
// generated country: about 7,000 wards, 33,000 LSOAs, 6,500 GP practices and
// 1,000,000 practice × LSOA registration counts, with a 12:3:1
// configuration of about 1,000 teams in 150 localities.
//
// The package holds only tests. The generator (generate_test.go and the
// files it uses) is deterministic and fast; TestSmallCountry… check it at a
// small size in every `go test` run, and the England-size country is built
// only when a benchmark asks for it:
//
//	go test -run '^$' -bench England -benchtime 1x ./profiles/englandbench/
//
// The benchmarks time each stage separately: assigning LSOAs and practices
// to wards with geo/areaindex, saving to and loading from the SQLite store,
// building the ward tables, and evaluating the configuration.
package englandbench
