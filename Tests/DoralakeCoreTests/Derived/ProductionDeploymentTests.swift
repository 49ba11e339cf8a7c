import DoralakeCore
import Testing

@Suite("Production deployments (METRICS §4.1)")
struct ProductionDeploymentTests {
    typealias F = DerivedFixture

    @Test("A SUCCESS row makes a FAILURE deployment a production deployment; inherited FAILURE rows do not count")
    func rel5CountsOnlyTheSuccessfulRow() throws {
        // Given rel-5 (result FAILURE): row A on R1 sent SUCCESS, finished 10:00; row B on R2 sent no
        // result, so it inherited FAILURE at ingest, finished 10:30
        let rel5 = F.deployment(
            id: "rel-5", result: "FAILURE",
            rows: [
                F.row(repo: "https://git/r1", sha: "a", result: "SUCCESS", started: F.at2024("03-01 09:50"), finished: F.at2024("03-01 10:00")),
                F.row(repo: "https://git/r2", sha: "b", result: "FAILURE", started: F.at2024("03-01 09:40"), finished: F.at2024("03-01 10:30")),
            ])
        // When its production view is taken
        let production = try #require(ProductionDeployment(rel5))
        // Then it is a production deployment finishing at 10:00 and starting with row A
        #expect(production.finish == F.at2024("03-01 10:00"))
        #expect(production.start == F.at2024("03-01 09:50"))
        #expect(production.identity == DeploymentIdentity(connectionId: 1, id: "rel-5"))
    }

    @Test("Finish is the latest row finish, across midnight (rel-6: deployment day 11 March UTC)")
    func rel6FinishesAtTheLatestRow() throws {
        // Given rel-6 with rows finished 2024-03-10T23:50Z and 2024-03-11T00:20Z
        let rel6 = F.deployment(
            id: "rel-6",
            rows: [
                F.row(repo: "https://git/r1", sha: "a", started: F.at2024("03-10 23:40"), finished: F.at2024("03-10 23:50")),
                F.row(repo: "https://git/r2", sha: "b", started: F.at2024("03-10 23:45"), finished: F.at2024("03-11 00:20")),
            ])
        // When its production view is taken
        let production = try #require(ProductionDeployment(rel6))
        // Then finish is 03-11 00:20Z, start the earliest row start, and the UTC day is 11 March
        #expect(production.finish == F.at2024("03-11 00:20"))
        #expect(production.start == F.at2024("03-10 23:40"))
        #expect(Timestamp.format(production.finish).hasPrefix("2024-03-11"))
    }

    @Test("A STAGING deployment is never a production deployment")
    func stagingIsNotProduction() {
        let staging = F.single(id: "stg", sha: "a", environment: "STAGING", started: 0, finished: 60_000)
        #expect(ProductionDeployment(staging) == nil)
    }

    @Test("A deployment whose rows all failed is not a production deployment")
    func failedRowsAreNotProduction() {
        let failed = F.single(id: "f", sha: "a", result: "FAILURE", started: 0, finished: 60_000)
        #expect(ProductionDeployment(failed) == nil)
    }

    @Test("Kind and isRework are carried for rework classification")
    func carriesReworkFlags() throws {
        let hotfix = F.single(id: "h", sha: "a", started: 0, finished: 60_000, kind: "HOTFIX")
        let regular = F.single(id: "r", sha: "b", started: 0, finished: 60_000, isRework: false)
        #expect(try #require(ProductionDeployment(hotfix)).isFlaggedRework)
        #expect(try #require(ProductionDeployment(regular)).isReworkVetoed)
    }
}
