// Package carry carries a team configuration from one ward set to another
// when wards are redrawn (Manchester's were in May 2018): each new ward goes
// to the team that held most of its residents, and every ward whose
// residents came from more than one old team is reported with its shares.
//
// # How a dataset holds two ward sets
//
// A store holds one dataset over one ward set, and a configuration names the
// wards of its store. A second ward set is a second dataset: the same LSOA,
// population and practice files imported with the new ward boundaries by a
// manifest of its own (data/manifests/manchester-2018.yaml), into a store of
// its own. The two are linked through what they share and what does not
// change when wards are redrawn — the LSOAs and their populations — never
// through ward codes. The carry step reads the old dataset (its LSOAs, their
// old wards and populations) and the new ward boundary file, and writes the
// carried configuration as an ordinary configuration file, which `config add`
// saves in the new store (or the new manifest imports). Profiles under both
// ward sets are then the ordinary profiles of the two stores, and the carry
// report puts their team populations side by side.
//
// # The rule
//
// Residents are the old dataset's LSOA populations (the latest year, as in
// the ward tables), counted for the LSOAs placed in a ward of the old
// configuration (the old dataset's best-fit lookup or interior point). Each
// LSOA's residents belong to the old team of its old ward, and go to the new
// wards as follows:
//
//   - With a best-fit LSOA → new ward lookup (Options.Lookup), the whole LSOA
//     goes to its ward.
//   - Otherwise the LSOA polygon is overlaid with every new ward. A piece is
//     a new ward holding at least Options.MinPiece of the LSOA's area
//     (default 10%); smaller pieces are taken as the slivers two differently
//     generalised boundary files leave, not as residents. An LSOA with two or
//     more pieces straddles them: its residents are split between the pieces
//     in proportion to their areas (the pieces' shares summing to 1). An LSOA
//     with one piece goes whole to it: the new ward containing its interior
//     point (areaindex.InteriorPoint, what the importer uses without a
//     lookup) but for degenerate shapes, which Result.InteriorPointDiffers
//     lists. An LSOA with only slivers goes whole to its largest.
//
// Why 10%: on Manchester's 2011 LSOAs against the May 2018 wards (both
// generalised files), the second-largest piece of 166 of the 282 LSOAs is
// under 1% of the LSOA, of 24 between 1% and 5%, of 18 between 5% and 10%
// and of 74 at 10% or more; the overlay is exact for every pair. Pieces of
// a few percent are where two generalisations of one boundary disagree.
//
// Each new ward goes to the old team with the most residents in it (ties go
// to the team listed first); its share is that team's residents over the
// ward's. A new ward without residents goes to the team of the old ward that
// overlaps it most by area. A team left with no new ward takes, of the wards
// of teams that keep two or more, the one where it has the most residents,
// and the result says so (Result.Reassigned).
//
// Team populations under the new wards are the sums of their new wards'
// residents, so they equal the old ones except where a split ward's
// minority residents moved to the ward's chosen team (TeamPopulation.In and
// Out). The profile of the new store places whole LSOAs by interior point,
// so its team residents can differ from these by the straddling LSOAs'
// pieces.
//
// Areas are planar in lon/lat (geo/overlap): the shares of one LSOA's
// pieces, all at the same latitude, are what matter.
package carry
