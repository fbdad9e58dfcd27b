// Log Analytics workspace and a workspace-based Application Insights component. Local (key) authentication is off:
// telemetry is accepted only with an Entra token of an identity that holds Monitoring Metrics Publisher.

@description('Azure region.')
param location string

@description('Name stem of the resources.')
param appName string

@description('Days the workspace keeps logs (30 is included in the ingestion price).')
param retentionDays int = 30

@description('Tags on every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

@description('The Application Insights resource id (for role assignments).')
output insightsId string = insights.id

@description('The Application Insights name.')
output insightsName string = insights.name
