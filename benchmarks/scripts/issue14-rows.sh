#!/bin/bash
# Every row of issue 14's table with the durable rows beside them (BENCHMARKS.md sections 10-13), ~42 minutes on
# 2 cores. Each line writes JMH JSON to OUT. Usage: benchmarks/scripts/issue14-rows.sh [jar] [out-dir]
# (defaults: benchmarks/target/benchmarks.jar, bench-out/<short commit>). Run it on a quiet machine.
set -u
jar=${1:-benchmarks/target/benchmarks.jar}
out=${2:-bench-out/$(git rev-parse --short HEAD)}
mkdir -p "$out"
run() {
    name=$1; shift
    echo "== $(date -u +%T) $name"
    java -jar "$jar" "$@" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1
    echo "   rc=$?"
}
run tp1     StreamThroughputBenchmark -p transport=inproc,grpc,ws -p payloadBytes=64,1024 -p conversations=1 -p mode=push
run tp100   StreamThroughputBenchmark -p transport=inproc,grpc,ws -p payloadBytes=64 -p conversations=100 -p mode=push,pull
run pull1   StreamThroughputBenchmark -p transport=inproc,grpc,ws -p payloadBytes=64 -p conversations=1 -p mode=pull
run bare    BareRelayBenchmark -p transport=queue,grpc,ws,ws-netty -p payloadBytes=64,1024
run send    SendBenchmark -wi 10 -i 3
run recon   ReconnectLatencyBenchmark -p conversations=1,100
run barerec BareReconnectBenchmark
run scale   ScaleBenchmark.fanOut -p store=memory,sqlite
run cstore  ClientStoreBenchmark -p store=memory,sqlite -p nodeStore=memory,sqlite
run nstore  NodeStoreBenchmark -p store=memory,sqlite,sqlite-bare -p publishers=8
echo "== done $(date -u +%T)"
