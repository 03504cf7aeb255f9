// Package assign places points — service users' homes, staff addresses,
// care homes, any list of addresses — in the city's wards and LSOAs and in
// the teams and localities of one configuration version: the planners'
// everyday "which team is this address in?" in bulk.
//
// An Assigner (New) holds an R-tree of the city's wards and one of the
// dataset's LSOAs (geo/areaindex) and the ward → team → locality map of the
// configuration; it is immutable and safe for concurrent use. CSV and
// GeoJSON stream rows through it: one row in, one row out, so memory stays
// bounded whatever the input's length (10M rows use the same few buffers as
// ten). CSV runs as a pipeline — one goroutine reads and splits rows into
// batches of 1,024, a worker per processor places and encodes them, the
// caller writes them in input order — with at most a dozen batches in
// flight.
//
// # Where a row's point comes from
//
// Columns names the input columns (header names, matched case-insensitively
// with spaces trimmed): Lon and Lat (WGS84 degrees), Easting and Northing
// (British National Grid, EPSG:27700, metres, reprojected with
// geo/reproject), or Postcode (looked up in Postcodes, a postcode → centroid
// table such as the ONS Postcode Directory, after normalising case and
// spaces: "m13 9wl", "M13 9WL" and "M139WL" are one postcode). With no
// column named, the header is searched for lon/lat (longitude, long, lng,
// latitude), then easting/northing, then postcode.
//
// # Boundary rule
//
// A point on a shared edge or vertex is placed by ONE deterministic rule,
// geo/areaindex's: boundaries are inside (a point exactly on a ward's edge
// is in that ward), and when several wards contain a point (it lies on an
// edge or vertex they share) the ward with the lowest code in byte order
// wins. LSOAs follow the same rule independently (lowest LSOA code). Points
// on the city's outer edge are therefore in the city. "Exactly on" is
// decided in float64 arithmetic on the stored vertices; the LSOA of a point
// is the LSOA containing it, not the LSOA the ward lookup gives, so a point
// may lie in an LSOA whose best-fit ward is another.
//
// # Status of each row
//
// Every output row carries a status and, unless it is StatusPlaced, a
// reason naming the 1-based input line (CSV) or feature number (GeoJSON)
// and what was wrong. A row that cannot be placed is reported, never fatal:
//
//	ok                 placed: ward, LSOA (when one contains it), team, locality
//	outside-city       a valid point in no ward of the city (lsoa_code is filled
//	                   when a neighbouring LSOA of the dataset contains it)
//	missing-location   the coordinate or postcode cell is blank
//	bad-coordinates    not a number, NaN or infinite, longitude outside
//	                   [-180, 180] or latitude outside [-90, 90], or an
//	                   easting/northing outside the National Grid (0–700,000 m,
//	                   0–1,300,000 m)
//	unknown-postcode   the postcode is not in the postcode table
//	wrong-field-count  the CSV row has more or fewer fields than the header (an
//	                   unquoted comma shifts every column after it, so the row
//	                   is not placed; its fields are padded or cut to the header)
//	malformed-row      the CSV row cannot be parsed (a stray quote); its fields
//	                   are left blank
//	not-a-point        a GeoJSON feature whose geometry is not a Point
//
// Only input that cannot be read at all is an error (*InputError): an empty
// file, a header without the named columns, a body that is not a GeoJSON
// FeatureCollection. A read error part-way through (a truncated upload)
// ends the output with an "error" row (CSV) or an "error" member (GeoJSON)
// and is returned.
package assign
