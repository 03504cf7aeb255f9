// Package tiles serves Mapbox Vector Tiles (MVT 2.1) cut from layers of
// lon/lat features, with a TileJSON 3.0 description, an LRU cache of encoded
// tiles with content ETags, and an HTTP-free request core.
//
// The package knows nothing about wards, teams or practices: a caller builds
// []Layer from its own data, and NewTileset indexes them once per snapshot
// (an R-tree of feature bounds per layer). A tile is cut by a readable chain:
//
//	layers in range → project to tile → clip with buffer → simplify → tidy → drop empty → marshal
//
// Tiles for a snapshot are identified by a version key chosen by the caller
// (for example a hash of a team configuration). When a configuration changes,
// Cache.Carry copies every cached tile the change cannot have touched from the
// old version to the new one, so only tiles near the changed areas are cut
// again.
//
// Service.Get answers a tile request with a status, headers and body and
// knows nothing of net/http beyond its status constants; a thin adapter in the
// web layer parses the path and headers and writes the answer.
//
// Coordinates are WGS84 lon/lat; tiles are Web Mercator (EPSG:3857) in the XYZ
// scheme. Features are not split at the antimeridian.
package tiles
