package huawei

import (
	"errors"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenterstore/v1/model"
)

// TestSDKConformance_listUsers: ListUsers (identityCenterStore_meta.go:1236-1268)
// through the typed client, page by page with page_info.next_marker
// (model_page_info_dto.go), and its error for a bad limit.
func TestSDKConformance_listUsers(t *testing.T) {
	e, c := conformanceServer(t)
	seeded := e.SeedUsers(11)
	limit := int32(5)
	var marker *string // none on the first page
	var ids []string
	for pages := 1; ; pages++ {
		out, err := c.ListUsers(&model.ListUsersRequest{IdentityStoreId: TestIdentityStoreID, Limit: &limit, Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		if out.Users == nil || out.PageInfo == nil || out.PageInfo.CurrentCount == nil || int(*out.PageInfo.CurrentCount) != len(*out.Users) {
			t.Fatalf("page %d: %v", pages, out)
		}
		for _, u := range *out.Users {
			ids = append(ids, u.UserId)
			if u.UserName == "" || u.CreatedAt == 0 || len(u.Emails) != 1 {
				t.Errorf("user %v", u)
			}
		}
		if out.PageInfo.NextMarker == "" {
			if pages != 3 || len(ids) != len(seeded)+3 {
				t.Fatalf("%d pages, %d users", pages, len(ids))
			}
			break
		}
		marker = &out.PageInfo.NextMarker
	}
	name := "user0004"
	out, err := c.ListUsers(&model.ListUsersRequest{IdentityStoreId: TestIdentityStoreID, UserName: &name})
	if err != nil || len(*out.Users) != 1 || (*out.Users)[0].UserName != name {
		t.Fatalf("user_name: %v, %v", out, err)
	}
	bad := int32(101)
	_, err = c.ListUsers(&model.ListUsersRequest{IdentityStoreId: TestIdentityStoreID, Limit: &bad})
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) || se.StatusCode != 400 || se.ErrorCode != "IIC.400" || se.RequestId == "" {
		t.Errorf("limit 101: %T %v", err, err)
	}
}
