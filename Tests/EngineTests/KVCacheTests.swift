import Observability
import Testing
@testable import Engine

@Suite struct KVCacheTests {
    func request(_ id: String, prompt: Int, maxTokens: Int) -> EngineRequest {
        EngineRequest(requestID: id, promptTokenIDs: Array(repeating: 1, count: prompt),
                      sampling: SamplingParameters(maxTokens: maxTokens, ignoreEOS: true), arrivalTime: 0)
    }

    @Test func budgetCountsBlocks() {
        var budget = KVCacheBudget(blockSize: 16, totalBlocks: 10)
        #expect(budget.blocks(forTokens: 0) == 0)
        #expect(budget.blocks(forTokens: 16) == 1)
        #expect(budget.blocks(forTokens: 17) == 2)
        let took = budget.allocate(7)
        let tookMore = budget.allocate(4)
        #expect(took && !tookMore)
        #expect(budget.usedBlocks == 7 && budget.usage == 0.7)
        budget.free(7)
        #expect(budget.freeBlocks == 10 && budget.capacityTokens == 160)
    }

    @Test func usageGaugeFollowsRunningSequences() {
        let (scheduler, registry) = makeScheduler(EngineConfiguration(costModel: .zero, blockSize: 16, kvCacheBlocks: 10))
        let log = OutputLog()
        scheduler.enqueue(request("a", prompt: 100, maxTokens: 2), ticket: EngineTicket(rawValue: 1), onOutput: log.append)
        scheduler.step()
        // 100 prompt tokens + the first generated token's slot: ceil(101 / 16) = 7 of 10 blocks.
        #expect(scheduler.kvCache.usedBlocks == 7)
        #expect(registry.render().contains("vllm:kv_cache_usage_perc{model_name=\"m\",engine=\"0\"} 0.7\n"))
        scheduler.step()
        #expect(log.finish == .length)
        #expect(scheduler.kvCache.usedBlocks == 0)
        #expect(registry.render().contains("vllm:kv_cache_usage_perc{model_name=\"m\",engine=\"0\"} 0.0\n"))
    }

    @Test func aFullCachePreemptsTheNewestSequenceWhichResumesLater() {
        // 6 blocks of 4 tokens. Two 8-token prompts take 3 blocks each at admission; when the older one
        // crosses into its fourth block the newer one is preempted, then recomputed after the first ends.
        let (scheduler, registry) = makeScheduler(EngineConfiguration(costModel: .zero, blockSize: 4, kvCacheBlocks: 6))
        let first = OutputLog(), second = OutputLog()
        scheduler.enqueue(request("a", prompt: 8, maxTokens: 10), ticket: EngineTicket(rawValue: 1), onOutput: first.append)
        scheduler.enqueue(request("b", prompt: 8, maxTokens: 10), ticket: EngineTicket(rawValue: 2), onOutput: second.append)
        var steps = 0
        while scheduler.hasWork, steps < 100 {
            scheduler.step()
            steps += 1
        }
        #expect(!scheduler.hasWork, "still working after \(steps) steps")
        #expect(first.finish == .length && second.finish == .length)
        #expect(first.outputs.last?.completionTokens == 10 && second.outputs.last?.completionTokens == 10)
        #expect(second.outputs.filter(\.isFirst).count == 1)
        #expect(scheduler.counters.preemptions >= 1)
        #expect(registry.render().contains("vllm:num_preemptions_total{model_name=\"m\",engine=\"0\"} \(Double(scheduler.counters.preemptions))\n"))
        #expect(scheduler.kvCache.usedBlocks == 0)
        // Prompt tokens are counted once per request, not again when a preempted one is recomputed.
        #expect(registry.render().contains("vllm:prompt_tokens_total{model_name=\"m\",engine=\"0\"} 16.0\n"))
    }

    @Test func aRequestLargerThanTheWholeCacheFailsInsteadOfWaitingForever() {
        let (scheduler, _) = makeScheduler(EngineConfiguration(costModel: .zero, blockSize: 4, kvCacheBlocks: 2))
        let log = OutputLog()
        scheduler.enqueue(request("a", prompt: 20, maxTokens: 1), ticket: EngineTicket(rawValue: 1), onOutput: log.append)
        scheduler.step()
        #expect(log.finish == .error)
        #expect(!scheduler.hasWork)
    }
}
