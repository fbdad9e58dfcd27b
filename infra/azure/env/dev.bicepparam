// A lab's development environment: smallest scale, short log retention.
using '../main.bicep'

param appName = 'cloudpipeline-dev'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param softDeleteDays = 7
param deployEventSubscription = false
param tags = {
  application: 'cloudpipeline'
  environment: 'dev'
}
