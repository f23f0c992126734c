/**
 * Alibaba Cloud region ids, public and finance/government clouds, compiled from the regions-and-zones page
 * (https://www.alibabacloud.com/help/doc-detail/189254.htm), the region list
 * (https://www.alibabacloud.com/help/doc-detail/72379.htm) and service endpoint tables that list every region
 * (https://www.alibabacloud.com/help/doc-detail/170112.htm). Regions that closed stay listed: a policy naming
 * them is stale, not mistyped. New regions appear over time, so an unknown region is only a Warning.
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  "cn-qingdao",
  "cn-beijing",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-nanjing",
  "cn-fuzhou",
  "cn-wuhan-lr",
  "cn-shenzhen",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-chengdu",
  "cn-hongkong",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-south-1",
  "us-east-1",
  "us-west-1",
  "na-south-1",
  "eu-west-1",
  "eu-central-1",
  "me-east-1",
  "me-central-1",
  "cn-shanghai-finance-1",
  "cn-shenzhen-finance-1",
  "cn-beijing-finance-1",
  "cn-hangzhou-finance",
  "cn-north-2-gov-1",
]);
