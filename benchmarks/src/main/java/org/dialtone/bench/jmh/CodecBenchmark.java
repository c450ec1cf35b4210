package org.dialtone.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dialtone.dht.wire.DecodeException;
import org.dialtone.dht.wire.Message;
import org.dialtone.dht.wire.MessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding and decoding of each message type of the wire protocol (docs/protocol.md). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
  @Param({"PING", "PONG", "FIND_NODE", "NODES", "FIND_VALUE", "VALUES", "STORE", "STORE_ACK", "ERROR"})
  public String type;

  Message message;
  byte[] datagram;

  @Setup
  public void setup() {
    message = Fixtures.message(type, new Random(42));
    datagram = MessageCodec.encode(message);
  }

  @Benchmark
  public byte[] encode() {
    return MessageCodec.encode(message);
  }

  @Benchmark
  public Message decode() throws DecodeException {
    return MessageCodec.decode(datagram);
  }
}
