/**
 * The number syntaxes Go's strconv accepts, as kingpin's numeric flag values go through them
 * (kingpin values_generated.go at v2.4.0, v2.2.6 and 17f40c25f497 alike). Prometheus, Alertmanager and
 * Thanos all build on kingpin, so their flag checks share these.
 */

/** strconv.ParseInt(s, 0, bits): kingpin Int64, Int32 (values_generated.go:494-500, :451-457). Decimal, 0x, 0o, 0, 0b, underscores between digits. */
export const GO_INTEGER = /^[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*)$/;

/** strconv.ParseUint(s, 0, bits): kingpin Uint, Uint64, Uint32 (values_generated.go:107-113, :279-285, :236-242). No sign. */
export const GO_UNSIGNED = /^(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*)$/;

/**
 * strconv.ParseFloat(s, 64): kingpin Float64 (values_generated.go:537-543) and kingpin Int, which parses a
 * float and truncates it to an int (values_generated.go:322-328): `5e7` is 50000000 and `1.5` is 1.
 */
export const GO_FLOAT =
  /^[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][-+]?\d+|inf|infinity|nan)$/i;
