/**
 * The part of SARIF 2.1.0 this tool writes (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
 * declared here so that the published types need no `@types/sarif` in the consumer's project.
 */
export type SarifLevel = "none" | "note" | "warning" | "error";

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifArtifactLocation {
  uri?: string;
}

export interface SarifLocation {
  physicalLocation?: { artifactLocation?: SarifArtifactLocation; region?: SarifRegion };
  logicalLocations?: { fullyQualifiedName?: string }[];
}

export interface SarifReplacement {
  deletedRegion: SarifRegion;
  insertedContent?: { text?: string };
}

export interface SarifFix {
  description?: SarifMessage;
  artifactChanges: { artifactLocation: SarifArtifactLocation; replacements: SarifReplacement[] }[];
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { level?: SarifLevel };
  properties?: Record<string, unknown>;
}

export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
  fixes?: SarifFix[];
  properties?: Record<string, unknown>;
}

export interface SarifNotification {
  level?: SarifLevel;
  message: SarifMessage;
  locations?: SarifLocation[];
}

export interface SarifRun {
  tool: {
    driver: { name: string; semanticVersion?: string; informationUri?: string; rules?: SarifReportingDescriptor[] };
  };
  invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }[];
  columnKind?: "utf16CodeUnits" | "unicodeCodePoints";
  results?: SarifResult[];
}

export interface SarifLog {
  $schema?: string;
  version: "2.1.0";
  runs: SarifRun[];
}
