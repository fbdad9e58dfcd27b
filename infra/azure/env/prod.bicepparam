// A consortium's production environment: room to scale out for reanalysis campaigns, a month to restore uploads.
using '../main.bicep'

param appName = 'cloudpipeline-prod'
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param softDeleteDays = 30
param deployEventSubscription = true
param tags = {
  application: 'cloudpipeline'
  environment: 'prod'
}
