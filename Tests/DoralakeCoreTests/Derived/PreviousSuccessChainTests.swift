import DoralakeCore
import Testing

@Suite("Previous-successful-deployment chain (METRICS §4.2)")
struct PreviousSuccessChainTests {
    typealias F = DerivedFixture
    typealias Row = PreviousSuccessChain.Row

    private static let chainIds = PreviousSuccessChain.previousSuccessIds(
        ShopExample.deployments.flatMap(PreviousSuccessChain.rows(of:)))

    @Test("D2's previous row is D1's row, with DevLake's id format")
    func d2PointsAtD1() {
        // Given the §6.0 data set / When the chain is computed / Then D2's row points at D1's row
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.d2)] == "webhook:1:deploy-100:0e3e2eb86df7a42e:aaa111")
    }

    @Test("The production chain is D1 → D2 → D3 → D4, skipping the failed F1")
    func productionChainSkipsFailure() {
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.d1)] == "")
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.d3)] == ShopExample.rowId(ShopExample.d2))
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.d4)] == ShopExample.rowId(ShopExample.d3))
    }

    @Test("A FAILURE row is outside every chain and has an empty previous id")
    func failureIsIneligible() {
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.f1)] == "")
    }

    @Test("A STAGING row forms its own chain")
    func stagingHasItsOwnChain() {
        // S1 finished between D2 and D3 but is first of the STAGING chain
        #expect(Self.chainIds[ShopExample.rowId(ShopExample.s1)] == "")
    }

    @Test(
        "Equal finishes order by start, then row id in byte order",
        arguments: [
            // (start of "b", expected previous of "b", expected previous of "a")
            (Int64(0), "a", ""),  // equal starts → "a" before "b" by id
            (Int64(-60_000), "", "b"),  // "b" started earlier → b first
            (Int64(60_000), "a", ""),  // "b" started later → a first
        ])
    func tiesAreDeterministic(startOfB: Int64, previousOfB: String, previousOfA: String) {
        // Given two SUCCESS rows of one chain finishing at the same instant; "a" started at 0
        let rows = [
            Row(rowId: "b", connectionId: 1, repoUrl: "r", environment: "PRODUCTION", result: "SUCCESS", startedDate: startOfB, finishedDate: 600_000),
            Row(rowId: "a", connectionId: 1, repoUrl: "r", environment: "PRODUCTION", result: "SUCCESS", startedDate: 0, finishedDate: 600_000),
        ]
        // When the chain is computed
        let ids = PreviousSuccessChain.previousSuccessIds(rows)
        // Then the order is start, then byte order of the ids (equal starts: "a" before "b")
        #expect(ids["b"] == previousOfB)
        #expect(ids["a"] == previousOfA)
    }

    @Test("Byte order, not Unicode order, breaks ties: uppercase sorts before lowercase")
    func byteOrderTieBreak() {
        let rows = ["a", "B"].map {
            Row(rowId: $0, connectionId: 1, repoUrl: "r", environment: "PRODUCTION", result: "SUCCESS", startedDate: 0, finishedDate: 0)
        }
        #expect(PreviousSuccessChain.previousSuccessIds(rows) == ["B": "", "a": "B"])
    }

    @Test("Chains are kept apart by connection, repo as sent (not normalized) and environment")
    func chainKeyIsConnectionRepoEnvironment() {
        let base = Row(rowId: "x0", connectionId: 1, repoUrl: "https://g/r", environment: "PRODUCTION", result: "SUCCESS", startedDate: 0, finishedDate: 0)
        var otherConnection = base
        otherConnection.rowId = "x1"
        otherConnection.connectionId = 2
        var otherSpelling = base
        otherSpelling.rowId = "x2"
        otherSpelling.repoUrl = "https://g/r/"
        var otherEnvironment = base
        otherEnvironment.rowId = "x3"
        otherEnvironment.environment = "TESTING"
        let rows = [base, otherConnection, otherSpelling, otherEnvironment].map { row -> Row in
            var later = row
            later.finishedDate = 1
            return later
        }
        #expect(PreviousSuccessChain.previousSuccessIds(rows).values.allSatisfy { $0.isEmpty })
    }
}
