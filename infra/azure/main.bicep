// CloudPipeline in one resource group: storage (identity-only), monitoring, the app's managed identity and roles,
// the Function App on Flex Consumption, and Event Grid delivery of raw/ uploads to the blob trigger.
// Deploy: docs/DEPLOYMENT.md. Parameters per environment: env/*.bicepparam.

targetScope = 'resourceGroup'

@description('Azure region of every resource. Default: the resource group\'s.')
param location string = resourceGroup().location

@description('Name stem, also the Function App name (its host name must be globally unique).')
@minLength(3)
@maxLength(40)
param appName string

@description('Flex Consumption: most instances the app scales out to. 40 is the smallest allowed; one lab rarely needs more.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory per instance in MB. 2048 fits a DRT fit or an MRI series with room; 512 is too small for 4096-point CT rows.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Concurrent HTTP requests one instance serves before the platform adds another (the API is light).')
param httpPerInstanceConcurrency int = 16

@description('Days a deleted or overwritten upload stays restorable (blob soft delete; versions keep overwritten content).')
@minValue(7)
@maxValue(365)
param softDeleteDays int = 30

@description('Create the Event Grid subscription. Set true on the deployment after the app\'s first code deployment.')
param deployEventSubscription bool = false

@description('NCRONTAB schedule of the change detector (a safety net for lost events; every 15 minutes).')
param changeDetectorSchedule string = '0 */15 * * * *'

@description('Six-field NCRONTAB schedule of the scheduled reanalysis (a campaign for every stage with results due). Default Sundays 03:00 UTC.')
param reanalysisSchedule string = '0 0 3 * * 0'

@description('Run the scheduled reanalysis. Default off.')
param reanalysisEnabled bool = false

@description('Entra ID authority whose bearer tokens the API accepts (e.g. https://login.microsoftonline.com/{tenant}/v2.0). Empty: API keys only.')
param entraAuthority string = ''

@description('The audience the API\'s bearer tokens are issued for (its application id URI or client id). Required with entraAuthority.')
param entraAudience string = ''

@description('Tags on every resource.')
param tags object = {
  application: 'cloudpipeline'
}

var storageAccountName = take('st${toLower(replace(appName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
var packageContainer = 'app-package'
var deadLetterContainer = 'eventgrid-deadletter'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: storageAccountName
    softDeleteDays: softDeleteDays
    tags: tags
    packageContainer: packageContainer
    deadLetterContainer: deadLetterContainer
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    appName: appName
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    appName: appName
    storageAccountName: storageAccountName
    insightsName: monitoring.outputs.insightsName
    tags: tags
  }
  dependsOn: [storage]
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    appName: appName
    tags: tags
    storageAccountName: storageAccountName
    blobEndpoint: storage.outputs.blobEndpoint
    packageContainer: packageContainer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    insightsName: monitoring.outputs.insightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    changeDetectorSchedule: changeDetectorSchedule
    reanalysisSchedule: reanalysisSchedule
    reanalysisEnabled: reanalysisEnabled
    entraAuthority: entraAuthority
    entraAudience: entraAudience
  }
}

module events 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    appName: appName
    tags: tags
    storageAccountName: storageAccountName
    functionAppName: app.outputs.name
    functionName: 'IngestBlob'
    rawContainer: 'raw'
    deadLetterContainer: deadLetterContainer
    deploySubscription: deployEventSubscription
  }
}

@description('The Function App name (for zip deploy).')
output functionAppName string = app.outputs.name

@description('The API base address.')
output apiBaseUrl string = 'https://${app.outputs.hostName}/'

@description('The storage account instruments upload to (raw/{site}/{experiment}/{file}).')
output storageAccountName string = storageAccountName
