// GENERATED FILE - do not edit by hand.
// Source: catalog/ess-api-catalog.json (sha256 98059b27fb7fdafde4d608ac959f9273dc0a6b9e98812a9eff6a230671e3a282)
// Regenerate: node scripts/gen-catalog.mjs   (verify: node scripts/gen-catalog.mjs --check)
import type { EssOperation } from "./types.js";

export const OPERATION_ROWS: readonly EssOperation[] = [
  {
    "name": "ApplyEciScalingConfiguration",
    "ramAction": "ess:ApplyEciScalingConfiguration",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram",
    "note": "ScalingConfigurationId, ScalingGroupId: ignored, the operation is authorized on `*` (catalog: All Resources)"
  },
  {
    "name": "ApplyScalingGroup",
    "ramAction": "ess:ApplyScalingGroup",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram"
  },
  {
    "name": "AttachAlbServerGroups",
    "ramAction": "ess:AttachAlbServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram"
  },
  {
    "name": "AttachDBInstances",
    "ramAction": "ess:AttachDBInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "AttachInstances",
    "ramAction": "ess:AttachInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "AttachLoadBalancers",
    "ramAction": "ess:AttachLoadBalancers",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "AttachServerGroups",
    "ramAction": "ess:AttachServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "AttachVServerGroups",
    "ramAction": "ess:AttachVServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "CancelInstanceRefresh",
    "ramAction": "ess:CancelInstanceRefresh",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them"
  },
  {
    "name": "ChangeResourceGroup",
    "ramAction": "ess:ChangeResourceGroup",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ResourceId",
        "children": [],
        "resourceType": true
      },
      "2022-02-22": {
        "groupId": "ResourceId",
        "children": [],
        "resourceType": true
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://www.alibabacloud.com/help/ja/auto-scaling/developer-reference/api-ess-2014-08-28-changeresourcegroup",
    "note": "NewResourceGroupId: not a locator, the destination resource group, not an ESS resource"
  },
  {
    "name": "CompleteLifecycleAction",
    "ramAction": "ess:CompleteLifecycleAction",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "LifecycleActionToken: not a locator, a token, not an id"
  },
  {
    "name": "CreateAlarm",
    "ramAction": "ess:CreateAlarm",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "unbound",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-createalarm; conflicting: https://help.aliyun.com/document_detail/459383.htm (older template) says \"Write\", resource column blank",
    "note": "no group named: the task is not bound to a group and is authorized on `*` (docs/semantics.md §5) (2022 metadata marks ScalingGroupId required; the unbound-task rule of docs/semantics.md §5 wins)"
  },
  {
    "name": "CreateDiagnoseReport",
    "ramAction": "ess:CreateDiagnoseReport",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "CreateEciScalingConfiguration",
    "ramAction": "ess:CreateEciScalingConfiguration",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "Tag.N.Key, Tag.N.Value, Tags.N.Key, Tags.N.Value: ECI container-group tags (they tag the instances the group launches), not request tags (docs/semantics.md §5)"
  },
  {
    "name": "CreateLifecycleHook",
    "ramAction": "ess:CreateLifecycleHook",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "NotificationArn: not a locator, a notification target (CloudMonitor/MNS), not a RAM resource ARN"
  },
  {
    "name": "CreateNotificationConfiguration",
    "ramAction": "ess:CreateNotificationConfiguration",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "NotificationArn: not a locator, a notification target (CloudMonitor/MNS), not a RAM resource ARN"
  },
  {
    "name": "CreateScalingConfiguration",
    "ramAction": "ess:CreateScalingConfiguration",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "Tags: a JSON string of ECS instance tags, not request tags (docs/semantics.md §5)"
  },
  {
    "name": "CreateScalingGroup",
    "ramAction": "ess:CreateScalingGroup",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "create",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [],
        "tags": "Tag"
      },
      "2022-02-22": {
        "children": [],
        "tags": "Tags"
      }
    },
    "carriesRequestTag": true,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource unknown",
    "note": "resource: catalog says unknown; docs/semantics.md §5 authorizes group creation on scalinggroup/*. InstanceId: ignored, the operation is authorized on `scalinggroup/*`"
  },
  {
    "name": "CreateScalingRule",
    "ramAction": "ess:CreateScalingRule",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "CreateScheduledTask",
    "ramAction": "ess:CreateScheduledTask",
    "accessLevel": "create",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "unbound",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledAction",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledAction",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-createscheduledtask; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-createscheduledtask",
    "note": "no group named: the task is not bound to a group and is authorized on `*` (docs/semantics.md §5)"
  },
  {
    "name": "DeactivateScalingConfiguration",
    "ramAction": "ess:DeactivateScalingConfiguration",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteAlarm",
    "ramAction": "ess:DeleteAlarm",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteDiagnoseReport",
    "ramAction": "ess:DeleteDiagnoseReport",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "children": [
          {
            "param": "ReportId",
            "kind": "DiagnoseReport",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteEciScalingConfiguration",
    "ramAction": "ess:DeleteEciScalingConfiguration",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteLifecycleHook",
    "ramAction": "ess:DeleteLifecycleHook",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteNotificationConfiguration",
    "ramAction": "ess:DeleteNotificationConfiguration",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "NotificationArn: not a locator, a notification target (CloudMonitor/MNS), not a RAM resource ARN"
  },
  {
    "name": "DeleteScalingConfiguration",
    "ramAction": "ess:DeleteScalingConfiguration",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DeleteScalingGroup",
    "ramAction": "ess:DeleteScalingGroup",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2014-08-28-deletescalinggroup; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-deletescalinggroup"
  },
  {
    "name": "DeleteScalingRule",
    "ramAction": "ess:DeleteScalingRule",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/en/auto-scaling/developer-reference/api-ess-2022-02-22-deletescalingrule (zh content)"
  },
  {
    "name": "DeleteScheduledTask",
    "ramAction": "ess:DeleteScheduledTask",
    "accessLevel": "delete",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": true,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScheduledTaskId",
            "kind": "ScheduledTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScheduledTaskId",
            "kind": "ScheduledTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeAlarms",
    "ramAction": "ess:DescribeAlarms",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter). Plus one target `*` for the tasks bound to no group"
  },
  {
    "name": "DescribeAlertConfiguration",
    "ramAction": "ess:DescribeAlertConfiguration",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeCandidateInstanceType",
    "ramAction": "ess:DescribeCandidateInstanceType",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "DescribeDiagnoseReports",
    "ramAction": "ess:DescribeDiagnoseReports",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ReportIds",
            "kind": "DiagnoseReport",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeEciScalingConfigurationDetail",
    "ramAction": "ess:DescribeEciScalingConfigurationDetail",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeEciScalingConfigurations",
    "ramAction": "ess:DescribeEciScalingConfigurations",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingConfigurationIds",
            "kind": "ScalingConfiguration",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeElasticStrength",
    "ramAction": "ess:DescribeElasticStrength",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "groupIds": "ScalingGroupIds",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "groupIds": "ScalingGroupIds",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: every group of the region must be allowed (aggregate result, mode all)"
  },
  {
    "name": "DescribeInstanceCreateAndDeleteStatistics",
    "ramAction": "ess:DescribeInstanceCreateAndDeleteStatistics",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: every group of the region must be allowed (aggregate result, mode all)"
  },
  {
    "name": "DescribeInstanceRefreshes",
    "ramAction": "ess:DescribeInstanceRefreshes",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId.N, InstanceRefreshTaskIds.N: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them. no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeLifecycleActions",
    "ramAction": "ess:DescribeLifecycleActions",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeLifecycleHooks",
    "ramAction": "ess:DescribeLifecycleHooks",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookIds",
            "kind": "LifecycleHook",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeLimitation",
    "ramAction": "ess:DescribeLimitation",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "DescribeNotificationConfigurations",
    "ramAction": "ess:DescribeNotificationConfigurations",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeNotificationTypes",
    "ramAction": "ess:DescribeNotificationTypes",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "DescribePatternTypes",
    "ramAction": "ess:DescribePatternTypes",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "DescribeRegions",
    "ramAction": "ess:DescribeRegions",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "documented: https://alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2022-02-22-describeregions; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-describeregions; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-describeregions; conflicting: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-describeregions says \"当前API暂无授权信息透出\" (no authorization info disclosed); https://help.aliyun.com/document_detail/459306.html (older template) says \"Read\""
  },
  {
    "name": "DescribeScalingActivities",
    "ramAction": "ess:DescribeScalingActivities",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingActivityIds",
            "kind": "ScalingActivity",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them. no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeScalingActivityDetail",
    "ramAction": "ess:DescribeScalingActivityDetail",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeScalingActivityStatistics",
    "ramAction": "ess:DescribeScalingActivityStatistics",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: every group of the region must be allowed (aggregate result, mode all)"
  },
  {
    "name": "DescribeScalingConfigurations",
    "ramAction": "ess:DescribeScalingConfigurations",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingConfigurationIds",
            "kind": "ScalingConfiguration",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeScalingGroupDetail",
    "ramAction": "ess:DescribeScalingGroupDetail",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeScalingGroupDiagnoseDetails",
    "ramAction": "ess:DescribeScalingGroupDiagnoseDetails",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DescribeScalingGroups",
    "ramAction": "ess:DescribeScalingGroups",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupIds": "ScalingGroupId",
        "children": [],
        "tags": "Tag"
      },
      "2022-02-22": {
        "groupIds": "ScalingGroupIds",
        "children": [],
        "tags": "Tags"
      }
    },
    "carriesRequestTag": true,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-describescalinggroups; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-describescalinggroups; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2022-02-22-describescalinggroups; conflicting: https://help.aliyun.com/document_detail/459364.html (older template) says \"Read\", resource column blank",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeScalingInstances",
    "ramAction": "ess:DescribeScalingInstances",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "InstanceId",
            "kind": "Instance",
            "list": true,
            "ari": false
          },
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          },
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "InstanceIds",
            "kind": "Instance",
            "list": true,
            "ari": false
          },
          {
            "param": "ScalingActivityId",
            "kind": "ScalingActivity",
            "list": false,
            "ari": false
          },
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeScalingRules",
    "ramAction": "ess:DescribeScalingRules",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingRuleAri",
            "kind": "ScalingRule",
            "list": true,
            "ari": true
          },
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScalingRuleAris",
            "kind": "ScalingRule",
            "list": true,
            "ari": true
          },
          {
            "param": "ScalingRuleIds",
            "kind": "ScalingRule",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "DescribeScheduledTasks",
    "ramAction": "ess:DescribeScheduledTasks",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledAction",
            "kind": "ScalingRule",
            "list": true,
            "ari": true
          },
          {
            "param": "ScheduledTaskId",
            "kind": "ScheduledTask",
            "list": true,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledActions",
            "kind": "ScalingRule",
            "list": true,
            "ari": true
          },
          {
            "param": "ScheduledTaskIds",
            "kind": "ScheduledTask",
            "list": true,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter). Plus one target `*` for the tasks bound to no group"
  },
  {
    "name": "DetachAlbServerGroups",
    "ramAction": "ess:DetachAlbServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DetachDBInstances",
    "ramAction": "ess:DetachDBInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2014-08-28-ram"
  },
  {
    "name": "DetachInstances",
    "ramAction": "ess:DetachInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "DetachLoadBalancers",
    "ramAction": "ess:DetachLoadBalancers",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DetachServerGroups",
    "ramAction": "ess:DetachServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DetachVServerGroups",
    "ramAction": "ess:DetachVServerGroups",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DisableAlarm",
    "ramAction": "ess:DisableAlarm",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "DisableScalingGroup",
    "ramAction": "ess:DisableScalingGroup",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "EnableAlarm",
    "ramAction": "ess:EnableAlarm",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2014-08-28-enablealarm; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-enablealarm"
  },
  {
    "name": "EnableScalingGroup",
    "ramAction": "ess:EnableScalingGroup",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "ActiveScalingConfigurationId: not a locator, a configuration inside the named group; the group is the resource. InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "EnterStandby",
    "ramAction": "ess:EnterStandby",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "ExecuteScalingRule",
    "ramAction": "ess:ExecuteScalingRule",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingRuleAri",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingRuleAri",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-executescalingrule; https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2014-08-28-executescalingrule; conflicting: https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-executescalingrule says \"當前API暫無授權資訊透出\" (no info); https://help.aliyun.com/document_detail/459392.html (older template) says \"Write\""
  },
  {
    "name": "ExitStandby",
    "ramAction": "ess:ExitStandby",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "ListTagKeys",
    "ramAction": "ess:ListTagKeys",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [],
        "resourceType": true
      },
      "2022-02-22": {
        "children": [],
        "resourceType": true
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "ListTagResources",
    "ramAction": "ess:ListTagResources",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "filter",
    "withoutLocator": "regionGroups",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupIds": "ResourceId",
        "children": [],
        "tags": "Tag",
        "resourceType": true
      },
      "2022-02-22": {
        "groupIds": "ResourceIds",
        "children": [],
        "tags": "Tags",
        "resourceType": true
      }
    },
    "carriesRequestTag": true,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-listtagresources; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-listtagresources; https://www.alibabacloud.com/help/ja/auto-scaling/developer-reference/api-ess-2014-08-28-listtagresources; conflicting: https://help.aliyun.com/en/auto-scaling/developer-reference/api-ess-2014-08-28-listtagresources says \"No authorization for this operation\"; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2022-02-22-listtagresources (older template) says access level \"Read\" with resource column blank",
    "note": "no group named: one target per group of the region, allowed ones returned (mode filter)"
  },
  {
    "name": "ListTagValues",
    "ramAction": "ess:ListTagValues",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [],
        "resourceType": true
      },
      "2022-02-22": {
        "children": [],
        "resourceType": true
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: request carries no scaling-group reference"
  },
  {
    "name": "ModifyAlarm",
    "ramAction": "ess:ModifyAlarm",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": true,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "AlarmTaskId",
            "kind": "AlarmTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "ModifyAlertConfiguration",
    "ramAction": "ess:ModifyAlertConfiguration",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "ModifyEciScalingConfiguration",
    "ramAction": "ess:ModifyEciScalingConfiguration",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm); conflicting: https://www.alibabacloud.com/help/en/auto-scaling/developer-reference/api-ess-2022-02-22-modifyeciscalingconfiguration (Jun 2024) says \"There is currently no authorization information disclosed in the API.\"",
    "note": "Tag.N.Key, Tag.N.Value, Tags.N.Key, Tags.N.Value: ECI container-group tags (they tag the instances the group launches), not request tags (docs/semantics.md §5)"
  },
  {
    "name": "ModifyInstanceAttribute",
    "ramAction": "ess:ModifyInstanceAttribute",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "ModifyLifecycleHook",
    "ramAction": "ess:ModifyLifecycleHook",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "LifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2014-08-28-ram (documents the action and access level only; resource is inferred)",
    "note": "NotificationArn: not a locator, a notification target (CloudMonitor/MNS), not a RAM resource ARN"
  },
  {
    "name": "ModifyNotificationConfiguration",
    "ramAction": "ess:ModifyNotificationConfiguration",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "NotificationArn: not a locator, a notification target (CloudMonitor/MNS), not a RAM resource ARN"
  },
  {
    "name": "ModifyScalingConfiguration",
    "ramAction": "ess:ModifyScalingConfiguration",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingConfigurationId",
            "kind": "ScalingConfiguration",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "Tags: a JSON string of ECS instance tags, not request tags (docs/semantics.md §5)"
  },
  {
    "name": "ModifyScalingGroup",
    "ramAction": "ess:ModifyScalingGroup",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "ActiveScalingConfigurationId: not a locator, a configuration inside the named group; the group is the resource"
  },
  {
    "name": "ModifyScalingRule",
    "ramAction": "ess:ModifyScalingRule",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "ModifyScheduledTask",
    "ramAction": "ess:ModifyScheduledTask",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": true,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledAction",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          },
          {
            "param": "ScheduledTaskId",
            "kind": "ScheduledTask",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": [
          {
            "param": "ScheduledAction",
            "kind": "ScalingRule",
            "list": false,
            "ari": true
          },
          {
            "param": "ScheduledTaskId",
            "kind": "ScheduledTask",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-modifyscheduledtask"
  },
  {
    "name": "QueryHistoricalMetric",
    "ramAction": "ess:QueryHistoricalMetric",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "QueryPredictiveMetric",
    "ramAction": "ess:QueryPredictiveMetric",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "QueryPredictiveTaskInfo",
    "ramAction": "ess:QueryPredictiveTaskInfo",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "children": [
          {
            "param": "ScalingRuleId",
            "kind": "ScalingRule",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "QueryPredictiveValue",
    "ramAction": "ess:QueryPredictiveValue",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": false,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "RebalanceInstances",
    "ramAction": "ess:RebalanceInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "RecordLifecycleActionHeartbeat",
    "ramAction": "ess:RecordLifecycleActionHeartbeat",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "lifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "lifecycleHookId",
            "kind": "LifecycleHook",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "lifecycleActionToken: not a locator, a token, not an id"
  },
  {
    "name": "RemoveInstances",
    "ramAction": "ess:RemoveInstances",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "ResumeInstanceRefresh",
    "ramAction": "ess:ResumeInstanceRefresh",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them"
  },
  {
    "name": "ResumeProcesses",
    "ramAction": "ess:ResumeProcesses",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "RollbackInstanceRefresh",
    "ramAction": "ess:RollbackInstanceRefresh",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them"
  },
  {
    "name": "ScaleWithAdjustment",
    "ramAction": "ess:ScaleWithAdjustment",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "SetGroupDeletionProtection",
    "ramAction": "ess:SetGroupDeletionProtection",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "SetInstanceHealth",
    "ramAction": "ess:SetInstanceHealth",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": [
          {
            "param": "InstanceId",
            "kind": "Instance",
            "list": false,
            "ari": false
          }
        ]
      },
      "2022-02-22": {
        "children": [
          {
            "param": "InstanceId",
            "kind": "Instance",
            "list": false,
            "ari": false
          }
        ]
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "SetInstancesProtection",
    "ramAction": "ess:SetInstancesProtection",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://www.alibabacloud.com/help/en/auto-scaling/developer-reference/api-ess-2022-02-22-setinstancesprotection",
    "note": "InstanceId.N, InstanceIds.N: ECS instances acted on inside the named group, not locators"
  },
  {
    "name": "StartInstanceRefresh",
    "ramAction": "ess:StartInstanceRefresh",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "SuspendInstanceRefresh",
    "ramAction": "ess:SuspendInstanceRefresh",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)",
    "note": "InstanceRefreshTaskId: not a locator, no resolver kind for refresh tasks; the ScalingGroupId scopes them"
  },
  {
    "name": "SuspendProcesses",
    "ramAction": "ess:SuspendProcesses",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "groupId": "ScalingGroupId",
        "children": []
      },
      "2022-02-22": {
        "groupId": "ScalingGroupId",
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "inferred: action assumed ess:<ApiName> (RAM doc row not confirmed); level inferred from verb (RAM doc row not confirmed); resource inferred: every documented group-scoped ESS op uses *ScalingGroup, including ops whose request only carries a child id (DeleteScalingRule, ExecuteScalingRule, EnableAlarm)"
  },
  {
    "name": "TagResources",
    "ramAction": "ess:TagResources",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupIds": "ResourceId",
        "children": [],
        "tags": "Tag",
        "resourceType": true
      },
      "2022-02-22": {
        "groupIds": "ResourceIds",
        "children": [],
        "tags": "Tags",
        "resourceType": true
      }
    },
    "carriesRequestTag": true,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/document_detail/459327.htm; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-tagresources; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-tagresources; conflicting: https://help.aliyun.com/en/auto-scaling/developer-reference/api-ess-2014-08-28-tagresources says \"No authorization for this operation\""
  },
  {
    "name": "UntagResources",
    "ramAction": "ess:UntagResources",
    "accessLevel": "update",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "group",
    "mode": "all",
    "withoutLocator": "missingParameter",
    "unboundTasks": false,
    "regionRequired": true,
    "wire": {
      "2014-08-28": {
        "groupIds": "ResourceId",
        "children": [],
        "tagKeys": "TagKey",
        "resourceType": true
      },
      "2022-02-22": {
        "groupIds": "ResourceIds",
        "children": [],
        "tagKeys": "TagKeys",
        "resourceType": true
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": true,
    "source": "documented: https://help.aliyun.com/document_detail/459331.htm; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2022-02-22-untagresources; https://www.alibabacloud.com/help/ja/auto-scaling/developer-reference/api-ess-2014-08-28-untagresources; conflicting: https://help.aliyun.com/document_detail/459331.html (older template) says \"Write\", resource column blank",
    "note": "TagKey.N, TagKeys.N: tag keys without values: no acs:RequestTag (and acs:TagKeys is not available for ESS, docs/semantics.md §5)"
  },
  {
    "name": "VerifyAuthentication",
    "ramAction": "ess:DescribeRegions",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "documented: https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-verifyauthentication; https://www.alibabacloud.com/help/ja/auto-scaling/developer-reference/api-ess-2014-08-28-verifyauthentication; https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-verifyauthentication (access level cell empty)"
  },
  {
    "name": "VerifyUser",
    "ramAction": "ess:DescribeRegions",
    "accessLevel": "get",
    "versions": {
      "2014-08-28": true,
      "2022-02-22": true
    },
    "resource": "all",
    "mode": "all",
    "unboundTasks": false,
    "regionRequired": false,
    "wire": {
      "2014-08-28": {
        "children": []
      },
      "2022-02-22": {
        "children": []
      }
    },
    "carriesRequestTag": false,
    "carriesResourceTag": false,
    "source": "documented: https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-verifyuser; https://www.alibabacloud.com/help/zh/auto-scaling/developer-reference/api-ess-2014-08-28-verifyuser; https://www.alibabacloud.com/help/tc/auto-scaling/developer-reference/api-ess-2014-08-28-verifyuser"
  }
];
