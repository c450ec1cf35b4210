package org.dialtone.dht;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dht module's layering, bottom up: {@code error} and {@code codec} (leaves); the protocol's plain parts ({@code id}, {@code crypto},
 * {@code net}, {@code time}, {@code transport}, {@code routing}, {@code lookup}, {@code record}, {@code wire},
 * {@code rpc}, {@code sim}); {@code api} (what the node takes and returns); the node's internals ({@code node}, then
 * {@code watch} and {@code publish}); the facade (the root package); the test kit and the demo on top. No package
 * depends on one above it, so there are no cycles.
 */
@AnalyzeClasses(packages = "org.dialtone.dht", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] PLAIN_PARTS = {"org.dialtone.dht.id..", "org.dialtone.dht.crypto..",
      "org.dialtone.dht.net..", "org.dialtone.dht.time..", "org.dialtone.dht.transport..",
      "org.dialtone.dht.routing..", "org.dialtone.dht.lookup..", "org.dialtone.dht.record..",
      "org.dialtone.dht.wire..", "org.dialtone.dht.rpc..", "org.dialtone.dht.sim..", "org.dialtone.dht.codec.."};

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("org.dialtone.(**)").namingSlices("$1").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule errorsAreALeaf = noClasses().that().resideInAPackage("org.dialtone.dht.error..")
      .should().dependOnClassesThat().resideOutsideOfPackages("org.dialtone.dht.error..", "java..");

  /** The CBOR subset knows nothing of messages, and nothing but the JDK: the wire's shapes are checked above it. */
  @ArchTest
  static final ArchRule cborIsALeaf = noClasses().that().resideInAPackage("org.dialtone.dht.codec..")
      .should().dependOnClassesThat().resideOutsideOfPackages("org.dialtone.dht.codec..", "java..");

  /** Only the wire's reader and writer speak CBOR; no Jackson CBOR left on the datagram path. */
  @ArchTest
  static final ArchRule noJacksonCbor = noClasses().should().dependOnClassesThat()
      .resideInAPackage("com.fasterxml.jackson.dataformat.cbor..");

  @ArchTest
  static final ArchRule plainPartsKnowNothingOfTheNode = noClasses().that().resideInAnyPackage(PLAIN_PARTS)
      .should().dependOnClassesThat().resideInAnyPackage("org.dialtone.dht", "org.dialtone.dht.api..",
          "org.dialtone.dht.node..", "org.dialtone.dht.watch..", "org.dialtone.dht.publish..",
          "org.dialtone.dht.testkit..", "org.dialtone.dht.demo..");

  @ArchTest
  static final ArchRule apiIsValuesOnly = noClasses().that().resideInAPackage("org.dialtone.dht.api..")
      .should().dependOnClassesThat().resideInAnyPackage("org.dialtone.dht", "org.dialtone.dht.node..",
          "org.dialtone.dht.watch..", "org.dialtone.dht.publish..");

  @ArchTest
  static final ArchRule internalsNeverCallTheFacade = noClasses()
      .that().resideInAnyPackage("org.dialtone.dht.node..", "org.dialtone.dht.watch..", "org.dialtone.dht.publish..")
      .should().dependOnClassesThat().resideInAPackage("org.dialtone.dht");

  @ArchTest
  static final ArchRule nodeInternalsKnowNothingOfWatchesOrPublications = noClasses()
      .that().resideInAPackage("org.dialtone.dht.node..")
      .should().dependOnClassesThat().resideInAnyPackage("org.dialtone.dht.watch..", "org.dialtone.dht.publish..");

  @ArchTest
  static final ArchRule onlyVertxTransportTouchesDatagramSockets = noClasses()
      .that().doNotHaveFullyQualifiedName("org.dialtone.dht.transport.VertxTransport")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.core.datagram..");
}
