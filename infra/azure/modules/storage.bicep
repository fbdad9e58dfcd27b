// The pipeline's storage account: identity-only access (no shared key), TLS 1.2, no public blob access. Blob
// versioning and soft delete keep every instrument upload recoverable even if it is overwritten or deleted.
// The containers, queues and tables are the ones the code uses (functions/CloudPipeline.Pipeline/Storage/
// StorageLayout.cs; InfrastructureTests holds the two to the same set), plus the deployment package container
// of the Flex Consumption app and the Event Grid dead-letter container.

@description('Azure region.')
param location string

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Days a deleted or overwritten blob (and a deleted container) can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Tags on every resource.')
param tags object

@description('Container of the Function App deployment package (Flex Consumption).')
param packageContainer string

@description('Container that receives Event Grid events that could not be delivered.')
param deadLetterContainer string

// The pipeline's own layout (StorageLayout.cs).
var containers = ['raw', 'artifacts', 'leases']
var queues = ['blob-events', 'blob-events-poison']
var tables = ['Datasets', 'Experiments', 'Results', 'Checkpoints', 'Sites', 'Shares', 'ApiKeys', 'Audit', 'AlgorithmVersions', 'ResultVersions']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
  }
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobService
  name: container
  properties: { publicAccess: 'None' }
}]

resource packageBlobContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: packageContainer
  properties: { publicAccess: 'None' }
}

resource deadLetterBlobContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deadLetterContainer
  properties: { publicAccess: 'None' }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

@description('The account resource id.')
output id string = account.id

@description('The blob endpoint.')
output blobEndpoint string = account.properties.primaryEndpoints.blob
