import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scope catalog (a copy of the product's scopes.json, 41 scopes) and the feature settings.
 * Where the catalog has no description, the service gives one of its own. The application never
 * reads the catalog file: PostgreSQL is the source of truth, and later changes come as migrations.
 */
const SCOPES = [
  { value: 'activeGates.read', name: 'Read ActiveGates', description: 'Grants access to GET requests of the ActiveGates API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'activeGates.write', name: 'Write ActiveGates', description: 'Grants access to POST and DELETE requests of the ActiveGates API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'analyzers.read', name: 'Read analyzers', description: 'Grants access to GET requests of the Analyzers API: list analyzers and read their definitions.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'analyzers.write', name: 'Write and execute analyzers', description: 'Grants access to POST requests of the Analyzers API: execute analyzers and manage their executions.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'apiTokens.read', name: 'Read API tokens', description: 'Grants access to GET requests of the Access tokens API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'apiTokens.write', name: 'Write API tokens', description: 'Grants access to POST, PUT, and DELETE requests of the Access tokens API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'attacks.read', name: 'Read attacks', description: 'Grants access to GET requests of the Attacks API and attack-related schemas in the Settings API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'attacks.write', name: 'Write Application Protection settings', description: 'Grants access to POST, PUT, and DELETE requests of the Settings API for Application Protection.', requiredPermission: 'MANAGE_SECURITY_PROBLEMS', managementZoneScoped: false },
  { value: 'entities.read', name: 'Read entities', description: 'Grants access to GET requests of the Monitored entities and Custom tags APIs.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'entities.write', name: 'Write entities', description: 'Grants access to POST, PUT, and DELETE requests of the Monitored entities and Custom tags APIs.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: true },
  { value: 'events.ingest', name: 'Ingest events', description: 'Grants access to POST request of the Events API v2.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'events.read', name: 'Read events', description: 'Grants access to GET requests of the Events API v2.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'extensionConfigurationActions.write', name: 'Actions for extension monitoring configurations', description: 'Grants permission to run actions on extension monitoring configurations of the Extensions 2.0 API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'extensionConfigurations.read', name: 'Read extensions monitoring configuration', description: 'Grants access to GET requests from the Extensions monitoring configuration section of the Extensions 2.0 API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'extensionConfigurations.write', name: 'Write extensions monitoring configuration', description: 'Grants access to POST, PUT, and DELETE requests from the Extensions monitoring configuration section of the Extensions 2.0 API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'extensions.read', name: 'Read extensions', description: 'Grants access to GET requests from the Extensions section of the Extensions 2.0 API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'extensions.write', name: 'Write extensions', description: 'Grants access to POST, PUT, and DELETE requests from the Extensions section of the Extensions 2.0 API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'geographicRegions.read', name: 'Read Geographic regions', description: 'Grants access to GET requests of the Geographic regions API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'hub.install', name: 'Install and update Hub items', description: 'Grants permission to install and update extensions via the Hub items API.', requiredPermission: 'ADMIN', managementZoneScoped: false },
  { value: 'hub.read', name: 'Read Hub-related data', description: 'Grants access to GET requests of the Hub items API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'hub.write', name: 'Manage metadata of Hub items', description: 'Grants permission to manage metadata of Hub items API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'javaScriptMappingFiles.read', name: 'Read JavaScript mapping files', description: 'Grants access to GET requests of the JavaScript mapping files API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'javaScriptMappingFiles.write', name: 'Write JavaScript mapping files', description: 'Grants access to PUT and DELETE requests of the JavaScript mapping files API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'metrics.read', name: 'Read metrics', description: 'Grants access to GET requests of the Metrics API v2.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'metrics.write', name: 'Write metrics', description: 'Grants access to the DELETE a custom metric request of the Metrics API v2.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'networkZones.read', name: 'Read network zones', description: 'Grants access to GET requests of the Network zones API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'networkZones.write', name: 'Write network zones', description: 'Grants access to POST, PUT, and DELETE requests of the Network zones API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'oneAgents.read', name: 'Read OneAgents', description: 'Grants access to GET requests of the OneAgents API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'oneAgents.write', name: 'Write OneAgents', description: 'Grants access to POST and DELETE requests of the OneAgents API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'problems.read', name: 'Read problems', description: 'Grants access to GET requests of the Problems API v2.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'problems.write', name: 'Write problems', description: 'Grants access to POST, PUT, and DELETE requests of the Problems API v2.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: true },
  { value: 'releases.read', name: 'Read releases', description: 'Grants access to the Releases API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'rumCookieNames.read', name: 'Read RUM cookie names', description: 'Grants access to GET requests of the Real User Monitoring cookie names API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'securityProblems.read', name: 'Read security problems', description: 'Grants access to GET requests of the Security problems API.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'securityProblems.write', name: 'Write security problems', description: 'Grants access to POST requests of the Security problems API.', requiredPermission: 'MANAGE_SECURITY_PROBLEMS', managementZoneScoped: false },
  { value: 'settings.read', name: 'Read settings', description: 'Grants access to GET requests of the Settings API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'settings.write', name: 'Write settings', description: 'Grants access to POST and DELETE requests of the Settings API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: false },
  { value: 'slo.read', name: 'Read SLOs', description: 'Grants access to GET requests of the Service-level objectives API.', requiredPermission: 'VIEWER', managementZoneScoped: true },
  { value: 'slo.write', name: 'Write SLOs', description: 'Grants access to POST, PUT, and DELETE requests of the Service-level objectives API.', requiredPermission: 'MANAGE_SETTINGS', managementZoneScoped: true },
  { value: 'traces.lookup', name: 'Look up a single trace', description: 'Check whether a trace is present. This is required to use cross-environment tracing.', requiredPermission: 'VIEWER', managementZoneScoped: false },
  { value: 'unifiedAnalysis.read', name: 'Read Unified Analysis page', description: 'Grants access to the Unified analysis schema in the Settings API.', requiredPermission: 'VIEWER', managementZoneScoped: false },
];

export class SeedScopesAndFeatures1795839570468 implements MigrationInterface {
  name = 'SeedScopesAndFeatures1795839570468';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO scope (value, name, description, required_permission, management_zone_scoped)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS s(value text, name text, description text, "requiredPermission" permission, "managementZoneScoped" boolean)`,
      [JSON.stringify(SCOPES)],
    );
    await queryRunner.query(`INSERT INTO feature_setting (feature, enabled) VALUES ('PERSONAL_ACCESS_TOKENS', false)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM feature_setting`);
    await queryRunner.query(`DELETE FROM scope`);
  }
}
