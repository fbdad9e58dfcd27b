// The Function App on the Flex Consumption plan (Linux, isolated worker, .NET 10). Every connection is
// identity-based through the user-assigned identity: no account key or storage connection string anywhere.

@description('Azure region.')
param location string

@description('Function App name (globally unique host name).')
param appName string

@description('Tags on every resource.')
param tags object

@description('The storage account the app and Durable Task use.')
param storageAccountName string

@description('The storage account blob endpoint.')
param blobEndpoint string

@description('Container of the deployment package.')
param packageContainer string

@description('The user-assigned identity resource id.')
param identityId string

@description('The user-assigned identity client id.')
param identityClientId string

@description('The Application Insights component.')
param insightsName string

@description('Most instances the app scales out to (Flex Consumption: 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of one instance in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Concurrent HTTP requests one instance takes before another is added.')
param httpPerInstanceConcurrency int

@description('NCRONTAB schedule of the change detector, which finds blobs whose events were lost.')
param changeDetectorSchedule string

@description('Six-field NCRONTAB schedule of the scheduled reanalysis.')
param reanalysisSchedule string

@description('Run the scheduled reanalysis.')
param reanalysisEnabled bool

@description('Entra ID authority whose bearer tokens the API accepts; empty: API keys only.')
param entraAuthority string

@description('The audience of the API\'s bearer tokens.')
param entraAudience string

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${appName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The Functions host, its triggers and Durable Task: identity-based connection "AzureWebJobsStorage".
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // The pipeline's own clients (PipelineOptions): account name + DefaultAzureCredential with this identity.
        { name: 'CloudPipeline__Storage__AccountName', value: storageAccountName }
        { name: 'CloudPipeline__Storage__ClientId', value: identityClientId }
        { name: 'ChangeDetectorSchedule', value: changeDetectorSchedule }
        // The scheduled reanalysis (a campaign for every stage with results due): off unless reanalysisEnabled.
        { name: 'ReanalysisSchedule', value: reanalysisSchedule }
        { name: 'AzureWebJobs.ScheduledReanalysis.Disabled', value: reanalysisEnabled ? 'false' : 'true' }
        // The consortium's API: Entra ID bearer tokens (app roles Site.{id}, CloudPipeline.Operator) besides API keys.
        { name: 'CloudPipeline__Auth__Authority', value: entraAuthority }
        { name: 'CloudPipeline__Auth__Audience', value: entraAudience }
        // Telemetry with Entra authentication (local auth is off on the component, so the connection string's
        // instrumentation key alone cannot write; it is an address, not a secret).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${packageContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: { perInstanceConcurrency: httpPerInstanceConcurrency }
        }
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

@description('The app resource id.')
output id string = site.id

@description('The app name.')
output name string = site.name

@description('The app host name.')
output hostName string = site.properties.defaultHostName
