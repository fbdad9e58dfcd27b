// The Function App's user-assigned managed identity and the least roles it needs on the storage account and on
// Application Insights. Role definition ids are Azure built-in roles.

@description('Azure region.')
param location string

@description('Name stem of the resources.')
param appName string

@description('The storage account the app uses.')
param storageAccountName string

@description('The Application Insights component the app writes telemetry to.')
param insightsName string

@description('Tags on every resource.')
param tags object

// Storage roles, least for what the app does (built-in role definition ids):
var storageRoleIds = [
  // Storage Blob Data Owner: the blob trigger (receipts, leases), Durable Task (partition leases, large messages)
  // and the pipeline's containers; it includes generateUserDelegationKey, which signs the API's upload and artifact
  // SAS links (user-delegation SAS: no account key exists).
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Storage Queue Data Contributor: the blob-events queue trigger, Durable Task control and work-item queues.
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Storage Table Data Contributor: the catalog and results tables, Durable Task history and instances.
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
]

// Monitoring Metrics Publisher: telemetry to Application Insights with Entra authentication.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${appName}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoleIds: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The identity resource id.')
output id string = identity.id

@description('The identity client id (for AzureWebJobsStorage__clientId and DefaultAzureCredential).')
output clientId string = identity.properties.clientId
