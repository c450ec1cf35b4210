package org.dialtone.bench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module's packages form no cycle: each can be read, tested and changed from the bottom up. */
@AnalyzeClasses(packages = "org.dialtone.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("org.dialtone.(**)").namingSlices("$1").should().beFreeOfCycles();
}
