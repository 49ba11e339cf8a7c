/// The numbers shown in metric labels (§1): one decimal, rounded half away from zero.
///
/// Integral inputs are rounded exactly with integer arithmetic, so that halves such as
/// 75 min = 1.25 h or 1/8 = 12.5 % never fall to the wrong side through binary fractions.
public enum LabelNumber {
    /// Hours with one decimal for a duration in minutes: `75` → `"1.3"`, `1091` → `"18.2"`.
    ///
    /// - Parameter minutes: The duration in minutes; integral values are rounded exactly.
    /// - Returns: `round(minutes / 60, 1)` as text, always with one decimal.
    public static func hours(minutes: Double) -> String {
        if let whole = exactInteger(minutes) {
            return tenthsText(roundedQuotient(whole, 6))
        }
        return oneDecimal(minutes / 60)
    }

    /// A fraction as a percentage with one decimal: `(1, 4)` → `"25.0"`, `(3, 5)` → `"60.0"`.
    ///
    /// - Parameters:
    ///   - numerator: The count of matching items.
    ///   - denominator: The count of all items; must be positive.
    /// - Returns: `round(numerator / denominator · 100, 1)` as text without the `%` sign, or
    ///   `"0.0"` when `denominator` is not positive.
    public static func percent(numerator: Int, denominator: Int) -> String {
        guard denominator > 0 else { return "0.0" }
        return tenthsText(roundedQuotient(Int64(numerator) * 1000, Int64(denominator)))
    }

    /// Any value with one decimal, rounded half away from zero: `1.25` → `"1.3"`, `-0.05` → `"-0.1"`.
    ///
    /// - Parameter value: A finite value.
    /// - Returns: The value as text with exactly one decimal.
    public static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let tenths = (value * 10).rounded(.toNearestOrAwayFromZero)
        guard let exact = Int64(exactly: tenths) else { return String(value) }
        return tenthsText(exact)
    }

    /// `value` as an integer when it is integral and safely representable.
    private static func exactInteger(_ value: Double) -> Int64? {
        guard value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }

    /// `numerator / denominator` rounded half away from zero; `denominator` is positive.
    private static func roundedQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let magnitude = (2 * numerator.magnitude + denominator.magnitude) / (2 * denominator.magnitude)
        let result = Int64(magnitude)
        return numerator < 0 ? -result : result
    }

    /// A count of tenths as decimal text: `182` → `"18.2"`, `-5` → `"-0.5"`, `0` → `"0.0"`.
    private static func tenthsText(_ tenths: Int64) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
