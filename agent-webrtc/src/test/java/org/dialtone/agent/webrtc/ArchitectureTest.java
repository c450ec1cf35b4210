package org.dialtone.agent.webrtc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** No cycles; the signal rules know neither libwebrtc nor Vert.x. */
@AnalyzeClasses(packages = "org.dialtone.agent.webrtc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("org.dialtone.agent.webrtc.(**)").namingSlices("$1").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule signalsArePlain = noClasses().that().resideInAPackage("..webrtc.signal..").should()
      .dependOnClassesThat().resideInAnyPackage("dev.onvoid..", "io.vertx..");
}
