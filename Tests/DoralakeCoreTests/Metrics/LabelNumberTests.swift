import DoralakeCore
import Testing

/// Spec §1: label numbers have one decimal, rounded half away from zero.
struct LabelNumberTests {
    @Test(
        "minutes are shown as hours with one decimal",
        arguments: [
            (75.0, "1.3"), (1091, "18.2"), (345, "5.8"), (70, "1.2"), (60, "1.0"), (0, "0.0"), (3, "0.1"), (9, "0.2"),
            (1089, "18.2"), (1083, "18.1"), (-75, "-1.3"), (1_000_000, "16666.7"),
        ])
    func hours(_ minutes: Double, _ text: String) {
        #expect(LabelNumber.hours(minutes: minutes) == text)
    }

    @Test(
        "fractions are shown as percentages with one decimal",
        arguments: [
            (1, 4, "25.0"), (3, 5, "60.0"), (2, 5, "40.0"), (0, 4, "0.0"), (1, 1, "100.0"), (1, 8, "12.5"),
            (1, 16, "6.3"), (1, 3, "33.3"), (2, 3, "66.7"), (1, 0, "0.0"),
        ])
    func percent(_ numerator: Int, _ denominator: Int, _ text: String) {
        #expect(LabelNumber.percent(numerator: numerator, denominator: denominator) == text)
    }

    @Test(
        "any value rounds half away from zero",
        arguments: [
            (1.25, "1.3"), (-1.25, "-1.3"), (0.25, "0.3"), (2.0, "2.0"), (0.04, "0.0"), (7.64, "7.6"),
        ])
    func oneDecimal(_ value: Double, _ text: String) {
        #expect(LabelNumber.oneDecimal(value) == text)
    }
}
