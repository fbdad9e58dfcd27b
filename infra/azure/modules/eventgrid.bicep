// Event Grid: a system topic on the storage account and a subscription that delivers BlobCreated events under
// raw/ to the Function App's blob trigger (Source = EventGrid) through the blob extension's webhook. Events that
// cannot be delivered land in the dead-letter container, written with the topic's own identity.
//
// Deploy this module after the app's code: the webhook key (blobs_extension) exists only once the host has
// started with a blob trigger (main.bicep's deployEventSubscription).

@description('Azure region.')
param location string

@description('Name stem of the resources.')
param appName string

@description('Tags on every resource.')
param tags object

@description('The storage account whose blob events are published.')
param storageAccountName string

@description('The Function App that receives the events.')
param functionAppName string

@description('The blob trigger function (IngestionFunctions.IngestBlob).')
param functionName string

@description('The container the blob trigger watches.')
param rawContainer string

@description('The container that receives undeliverable events.')
param deadLetterContainer string

@description('Create the subscription (needs the app code deployed).')
param deploySubscription bool

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${appName}'
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The topic writes dead letters with its own identity.
resource deadLetterRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, topic.id, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (deploySubscription) {
  parent: topic
  name: 'raw-blob-created'
  dependsOn: [deadLetterRole]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${rawContainer}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

@description('The system topic name.')
output topicName string = topic.name
