import Testing
import VLServeBenchmarks

struct BenchmarkStatisticsTests {
    @Test func median() {
        #expect(BenchmarkStatistics.median([]) == 0)
        #expect(BenchmarkStatistics.median([5]) == 5)
        #expect(BenchmarkStatistics.median([3, 1, 2]) == 2)
        #expect(BenchmarkStatistics.median([4, 1, 3, 2]) == 2.5)
    }

    @Test func rounding() {
        #expect(BenchmarkStatistics.rounded(97.41504, places: 4) == 97.415)
        #expect(BenchmarkStatistics.rounded(2.0004999, places: 3) == 2.0)
        #expect(BenchmarkStatistics.rounded(-1.23456, places: 2) == -1.23)
        #expect(BenchmarkStatistics.rounded(7.6, places: 0) == 8)
    }

    @Test func durations() {
        #expect(BenchmarkStatistics.seconds(.milliseconds(1500)) == 1.5)
        #expect(BenchmarkStatistics.seconds(.zero) == 0)
    }
}
