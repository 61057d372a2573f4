package backend

import (
	"reflect"
	"testing"
)

func TestGuideFrom(t *testing.T) {
	got := GuideFrom([]byte(`{"intro":"I","quirks":[{"title":"T","behaviour":"B","source":"S","provider":"P"}]}`))
	want := Guide{Intro: "I", Quirks: []Quirk{{Title: "T", Behaviour: "B", Source: "S", Provider: "P"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GuideFrom = %+v, want %+v", got, want)
	}
	for _, bad := range []string{`{"intro":"I","quirk":[]}`, `{"intro":`, `[]`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("GuideFrom(%s) does not panic", bad)
				}
			}()
			GuideFrom([]byte(bad))
		}()
	}
}
